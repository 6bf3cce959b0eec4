using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// The noise-aware, dataset-aware performance predictor f(x_t, σ, D) (spec §6.2–6.3, CPU-sized): the same masked
/// transformer as the score model (its own weights), all block outputs flattened over nodes, plus a dataset code
/// (learned embedding + meta-features), through a SiLU MLP to one z-scored accuracy. Differentiable in x for guidance.
/// </summary>
public sealed class PredictorNetwork : nn.Module
{
    public const int DatasetEmbeddingWidth = 16;
    private readonly MaskedTransformer encoder;
    private readonly Linear archProj, dataProj, hidden, output;
    private readonly Embedding datasetEmbedding;

    public PredictorNetwork(int nodes, int opTypes, bool[,] adjacency, TransformerConfig config) : base("predictor_network")
    {
        encoder = new MaskedTransformer(nodes, opTypes, adjacency, config);
        archProj = nn.Linear(nodes * config.Blocks * config.Width, config.HeadHidden);
        datasetEmbedding = nn.Embedding(DatasetCatalog.EmbeddingRows, DatasetEmbeddingWidth);
        dataProj = nn.Linear(DatasetEmbeddingWidth + DatasetCatalog.FeatureCount, config.HeadHidden);
        hidden = nn.Linear(config.HeadHidden, config.HeadHidden);
        output = nn.Linear(config.HeadHidden, 1);
        RegisterComponents();
    }

    /// <param name="x">[B, N, F] centred noisy X.</param>
    /// <param name="sigma">[B] noise levels, or [1] shared by the batch.</param>
    /// <param name="datasetId">[B] int64 ids (0 = unseen).</param>
    /// <param name="datasetFeatures">[B, 3] meta-features.</param>
    /// <returns>[B] predicted z-scored accuracy.</returns>
    public Tensor Forward(Tensor x, Tensor sigma, Tensor datasetId, Tensor datasetFeatures)
    {
        var blocks = encoder.Forward(x, sigma);
        var h = cat(blocks, -1).flatten(1);
        var d = cat([datasetEmbedding.forward(datasetId), datasetFeatures], -1);
        var z = F.silu(archProj.forward(h) + dataProj.forward(d));
        return output.forward(F.silu(hidden.forward(z))).squeeze(-1);
    }
}
