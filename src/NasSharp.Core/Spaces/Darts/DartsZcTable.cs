using NasSharp.Data;
using NasSharp.Ranking;

namespace NasSharp.Spaces.Darts;

/// <summary>
/// <c>zc/zc_nb301.csv.gz</c>: 725 DARTS genotypes with NAS-Bench-301's surrogate CIFAR-10 validation accuracy and NASLib's
/// zero-cost proxy scores. <b>Evaluation only</b> (data README): use it to measure how a method ranks DARTS genotypes, never
/// to train, tune or pick checkpoints. Deliberately not registered as a benchmark, so searches cannot use it as an objective.
/// </summary>
public sealed class DartsZcTable
{
    public const string RelativePath = "zc/zc_nb301.csv.gz";
    public static readonly IReadOnlyList<string> Proxies =
        ["epe_nas", "fisher", "flops", "grad_norm", "grasp", "jacov", "l2_norm", "nwot", "params", "plain", "snip", "synflow"];

    private readonly Dictionary<string, double[]> _proxy;

    private DartsZcTable(DartsGenotype[] genotypes, double[] acc, Dictionary<string, double[]> proxy)
    {
        Genotypes = genotypes;
        ValAccuracy = acc;
        _proxy = proxy;
    }

    public IReadOnlyList<DartsGenotype> Genotypes { get; }
    /// <summary>NB301 surrogate (XGB v1.0) CIFAR-10 validation accuracy, %.</summary>
    public IReadOnlyList<double> ValAccuracy { get; }
    public int Count => Genotypes.Count;

    public IReadOnlyList<double> Proxy(string name) =>
        _proxy.TryGetValue(name, out var v) ? v : throw new NasInputException($"zc_nb301 has no proxy '{name}'; it has {string.Join(", ", Proxies)}.");

    public static DartsZcTable Load(string dataDirectory)
    {
        var path = DataDirectory.RequireFile(dataDirectory, RelativePath, "NAS-Bench-301 zero-cost table");
        var t = CsvTable.Load(path, ["val_accuracy", .. Proxies], ["normal", "reduce"]);
        var normal = t.Strings("normal");
        var reduce = t.Strings("reduce");
        var genotypes = new DartsGenotype[t.RowCount];
        for (int i = 0; i < t.RowCount; i++)
        {
            try
            {
                genotypes[i] = DartsNotation.FromCellStrings(normal[i], reduce[i]);
                DartsSpace.Validate(genotypes[i]);
            }
            catch (NasInputException e) { throw new NasDataException($"{path}: row {i + 1} is not a DARTS genotype ({e.Message}); replace the file (docs/data.md).", e); }
        }
        return new DartsZcTable(genotypes, t.Numbers("val_accuracy"), Proxies.ToDictionary(p => p, p => t.Numbers(p)));
    }

    /// <summary>Spearman ρ and Kendall τ-b of <paramref name="scores"/> (one per row, higher = better) against the surrogate accuracy.</summary>
    public (double Spearman, double Kendall) Correlate(IReadOnlyList<double> scores)
    {
        if (scores.Count != Count) throw new NasInputException($"Need one score per zc_nb301 row ({Count}), got {scores.Count}.");
        if (scores.Any(s => !double.IsFinite(s))) throw new NasInputException("A score is NaN or infinite; rank correlations need finite scores.");
        var s = scores.ToArray();
        var a = ValAccuracy.ToArray();
        return (RankCorrelation.SpearmanRho(s, a), RankCorrelation.KendallTauB(s, a));
    }
}
