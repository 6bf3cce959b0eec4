using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// s_θ(x_t, σ, A): the masked transformer, all block outputs concatenated per node, then the ELU MLP head to one score per
/// entry of X (spec §4.6). The output is the score itself (no division by σ), as in the released code.
/// </summary>
public sealed class ScoreNetwork : nn.Module
{
    private readonly MaskedTransformer encoder;
    private readonly Linear h1, h2, h3;

    public ScoreNetwork(int nodes, int opTypes, bool[,] adjacency, TransformerConfig config, int[]? positions = null,
        bool scalePositions = false) : base("score_network")
    {
        encoder = new MaskedTransformer(nodes, opTypes, adjacency, config, positions, scalePositions);
        h1 = nn.Linear(config.Blocks * config.Width, config.HeadHidden);
        h2 = nn.Linear(config.HeadHidden, config.HeadHidden);
        h3 = nn.Linear(config.HeadHidden, opTypes);
        RegisterComponents();
    }

    /// <param name="x">[B, N, F] centred noisy X.</param>
    /// <param name="sigma">[B] noise levels, or [1] shared by the batch.</param>
    public Tensor Forward(Tensor x, Tensor sigma)
    {
        var h = cat(encoder.Forward(x, sigma), -1);
        return h3.forward(F.elu(h2.forward(F.elu(h1.forward(h), 1.0)), 1.0));
    }
}
