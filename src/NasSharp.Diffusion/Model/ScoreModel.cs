using NasSharp.Diffusion.Encoding;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// A trained unconditional score model for one space: the network (EMA weights, eval mode), its VE-SDE, the encoding and
/// which architectures it was trained on (so novelty can be measured). Saved as one small file.
/// </summary>
public sealed class ScoreModel : IDisposable
{
    public const string DefaultFileName = "nb201-score.dnag";
    public static string DefaultPath(string space) => Path.Combine(AppContext.BaseDirectory, "diffusion", $"{space.ToLowerInvariant()}-score.dnag");

    public ScoreModel(IDiffusionEncoding encoding, VeSde sde, TransformerConfig config, TrainingSplit split, ScoreNetwork network,
        IReadOnlyDictionary<string, string>? info = null)
    {
        Encoding = encoding;
        Sde = sde;
        Config = config;
        Split = split;
        Network = network;
        Info = info ?? new Dictionary<string, string>();
        Network.eval();
    }

    public IDiffusionEncoding Encoding { get; }
    public VeSde Sde { get; }
    public TransformerConfig Config { get; }
    public TrainingSplit Split { get; }
    public ScoreNetwork Network { get; }
    public IReadOnlyDictionary<string, string> Info { get; }

    public static ScoreNetwork CreateNetwork(IDiffusionEncoding enc, TransformerConfig config) =>
        new(enc.Nodes, enc.OpTypes, enc.AttentionMask, config, enc.NodePositions, enc.ScaledPositions);

    public void Save(string path) =>
        WeightsFile.Save(path, "score", new Header(Encoding.SpaceName, Config, Sde.SigmaMin, Sde.SigmaMax,
            Encoding is Nb201Encoding { ReleasedCodeAdjacency: true }, Split.Fraction, Split.Seed, Info), Network);

    /// <summary>Loads weights (checksum and finiteness checked); <paramref name="acceptUnchecked"/> also reads format-1 files without a checksum.</summary>
    public static ScoreModel Load(string path, string? expectedSpace = null, bool acceptUnchecked = false)
    {
        var (h, net) = WeightsFile.Load<Header, ScoreNetwork>(path, "score", expectedSpace, h => h.Space,
            h => CreateNetwork(EncodingOf(h.Space, h.ReleasedAdjacency), h.Config), acceptUnchecked);
        var sde = new VeSde(h.SigmaMin, h.SigmaMax);
        sde.Validate();
        return new ScoreModel(EncodingOf(h.Space, h.ReleasedAdjacency), sde, h.Config, new TrainingSplit(h.TrainFraction, h.SplitSeed), net, h.Info);
    }

    /// <summary>"score" or "predictor" for a DiffusionNAG weights file, null for any other file.</summary>
    public static string? WeightsKind(string path) => WeightsFile.ReadKind(path);

    internal static IDiffusionEncoding EncodingOf(string space, bool releasedAdjacency) =>
        releasedAdjacency && space == "nb201" ? new Nb201Encoding(true) : DiffusionEncodings.Get(space);

    public void Dispose() => Network.Dispose();

    private sealed record Header(string Space, TransformerConfig Config, double SigmaMin, double SigmaMax, bool ReleasedAdjacency,
        double TrainFraction, int SplitSeed, IReadOnlyDictionary<string, string> Info);
}

/// <summary>
/// Which architectures of an enumerable space train the score model: the first ⌊fraction·|space|⌋ of a seeded permutation.
/// Fraction 0.5 is the paper's setting for its novelty numbers (7,812 NB201 cells, spec §2.1). A space too large to
/// enumerate (MBv3) trains on ⌊fraction·<see cref="SampledPool"/>⌋ architectures the space samples with the seed (the
/// paper samples a database of OFA sub-networks).
/// </summary>
public sealed record TrainingSplit(double Fraction = 0.5, int Seed = 0)
{
    public const int SampledPool = 100_000;

    public IReadOnlyList<Architecture> Architectures(ISearchSpace space)
    {
        if (!(Fraction > 0 && Fraction <= 1)) throw new NasInputException($"Training fraction must be in (0, 1], got {Fraction}.");
        if (!space.CanEnumerate)
        {
            var rng = new Random(Seed);
            return Enumerable.Range(0, Math.Max(1, (int)Math.Floor(Fraction * SampledPool))).Select(_ => space.Sample(rng)).ToArray();
        }
        var all = space.Enumerate().ToArray();
        var order = Enumerable.Range(0, all.Length).ToArray();
        new Random(Seed).Shuffle(order);
        int n = Math.Max(1, (int)Math.Floor(Fraction * all.Length));
        return order.Take(n).Order().Select(i => all[i]).ToArray();
    }
}
