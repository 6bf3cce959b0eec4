using NasSharp.Proxies.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// synflow: on a BN-free float64 copy with every parameter replaced by its absolute value, R = Σ logits of one
/// all-ones input; score = Σ |θ ⊙ ∂R/∂θ| over Conv2d/Linear weights. Raw sum (NAS-Bench-Suite-Zero stores ln of it;
/// the log is monotone, so rankings are the same). 0 when no path links input and output. Larger is better.
/// </summary>
public sealed class SynflowProxy : TorchProxy
{
    public override string Name => "synflow";
    public override string Description => "Σ |θ ⊙ ∂R/∂θ|, R = Σ logits of an all-ones input through |θ| in float64, BN removed (raw, not logged)";
    public override bool UsesImages => false;

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        using var net = session.NewCopy(batchNorm: false, float64);
        using (no_grad())
            foreach (var p in net.parameters()) p.abs_();
        using (no_grad())
            foreach (var (_, b) in net.named_buffers()) if (b.is_floating_point()) b.abs_();
        using var scope = NewDisposeScope();
        var x = ones([1, .. session.Batch.ImageShape], float64);
        net.call(x).sum().backward();
        double score = 0;
        foreach (var (_, w) in WeightLayers.Of(net))
        {
            var g = w.grad;
            if (WeightLayers.IsDefined(g)) score += (w.detach() * g!).abs().sum().item<double>();
        }
        if (double.IsInfinity(score)) warnings.Add("synflow: float64 overflow");
        return score;
    }
}
