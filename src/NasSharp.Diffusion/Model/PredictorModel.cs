using NasSharp.Diffusion.Encoding;
using NasSharp.Spaces;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// A trained noise-aware predictor: the network (eval mode), the σ schedule it was trained on (must equal the score
/// model's), the datasets it saw (others are fed as "unseen" with their meta-features) and each dataset's label mean/std.
/// Outputs are z-scores; <see cref="PredictClean"/> rescales to accuracy where the dataset was seen.
/// </summary>
public sealed class PredictorModel : IDisposable
{
    public static string DefaultPath(string space, string? excludedDataset = null) =>
        Path.Combine(AppContext.BaseDirectory, "diffusion", excludedDataset is null
            ? $"{space.ToLowerInvariant()}-predictor.dnag"
            : $"{space.ToLowerInvariant()}-predictor-no-{DatasetCatalog.Get(excludedDataset).Name}.dnag");

    public PredictorModel(IDiffusionEncoding encoding, VeSde sde, TransformerConfig config, PredictorNetwork network,
        IReadOnlyDictionary<string, LabelScale> labels, IReadOnlyDictionary<string, string>? info = null)
    {
        Encoding = encoding;
        Sde = sde;
        Config = config;
        Network = network;
        Labels = labels;
        Info = info ?? new Dictionary<string, string>();
        Network.eval();
    }

    public IDiffusionEncoding Encoding { get; }
    public VeSde Sde { get; }
    public TransformerConfig Config { get; }
    public PredictorNetwork Network { get; }
    /// <summary>Per trained dataset (or "observations" for a BO fit): mean and std of the accuracy labels.</summary>
    public IReadOnlyDictionary<string, LabelScale> Labels { get; }
    public IReadOnlyDictionary<string, string> Info { get; }

    public bool Saw(string dataset) => Labels.ContainsKey(dataset);

    /// <summary>The dataset id (0 = unseen when this predictor never trained on it) and meta-features; null = no dataset.</summary>
    public (long Id, float[] Features) DatasetCode(string? dataset)
    {
        if (dataset is null) return (DatasetCatalog.UnseenId, new float[DatasetCatalog.FeatureCount]);
        var d = DatasetCatalog.Get(dataset);
        return (Saw(d.Name) ? d.Id : DatasetCatalog.UnseenId, d.Features);
    }

    /// <summary>Predicted z-scores of centred inputs x [B,N,F] at noise σ [B] for one dataset (differentiable in x).</summary>
    public Tensor Forward(Tensor x, Tensor sigma, string? dataset)
    {
        var (id, features) = DatasetCode(dataset);
        long b = x.shape[0];
        var ids = full(b, id, dtype: ScalarType.Int64);
        var feats = tensor(features).unsqueeze(0).expand(b, DatasetCatalog.FeatureCount);
        return Network.Forward(x, sigma, ids, feats);
    }

    /// <summary>Predicted z-scores of clean architectures (σ = σ_min): the ranker of spec §9 #11.</summary>
    public double[] PredictClean(IReadOnlyList<Architecture> archs, string? dataset)
    {
        if (archs.Count == 0) return [];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(EncodingBatches.EncodeCentred(Encoding, archs), [archs.Count, Encoding.Nodes, Encoding.OpTypes]);
        var sigma = full(archs.Count, Sde.SigmaMin, dtype: ScalarType.Float32);
        var y = Forward(x, sigma, dataset).to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < y.Length; i++)
            if (!double.IsFinite(y[i])) throw new InvalidOperationException("The DiffusionNAG predictor produced a non-finite value; its weights are corrupt.");
        return y;
    }

    public static PredictorNetwork CreateNetwork(IDiffusionEncoding enc, TransformerConfig config) =>
        new(enc.Nodes, enc.OpTypes, enc.Adjacency, config);

    public void Save(string path) =>
        WeightsFile.Save(path, "predictor", new Header(Encoding.SpaceName, Config, Sde.SigmaMin, Sde.SigmaMax,
            Encoding is Nb201Encoding { ReleasedCodeAdjacency: true }, Labels, Info), Network);

    /// <summary>Loads weights (checksum and finiteness checked); <paramref name="acceptUnchecked"/> also reads format-1 files without a checksum.</summary>
    public static PredictorModel Load(string path, string? expectedSpace = null, bool acceptUnchecked = false)
    {
        var (h, net) = WeightsFile.Load<Header, PredictorNetwork>(path, "predictor", expectedSpace, h => h.Space,
            h => CreateNetwork(ScoreModel.EncodingOf(h.Space, h.ReleasedAdjacency), h.Config), acceptUnchecked);
        var sde = new VeSde(h.SigmaMin, h.SigmaMax);
        sde.Validate();
        return new PredictorModel(ScoreModel.EncodingOf(h.Space, h.ReleasedAdjacency), sde, h.Config, net, h.Labels, h.Info);
    }

    public void Dispose() => Network.Dispose();

    private sealed record Header(string Space, TransformerConfig Config, double SigmaMin, double SigmaMax, bool ReleasedAdjacency,
        IReadOnlyDictionary<string, LabelScale> Labels, IReadOnlyDictionary<string, string> Info);
}

/// <summary>Mean and standard deviation of a dataset's accuracy labels (targets are (acc − mean)/std).</summary>
public sealed record LabelScale(double Mean, double Std);
