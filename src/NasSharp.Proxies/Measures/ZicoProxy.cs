using NasSharp.Proxies.Harness;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// zico (Li et al., ICLR 2023): CE gradients of the same initial network on two disjoint batches; per Conv2d/Linear
/// layer R_l = Σ_{σ&gt;0} mean_b|g| / σ_b (population std over the batches); score = Σ_l ln R_l, skipping R_l = 0.
/// Gradients are per batch (zeroed between batches), not the authors' running sums (docs/proxies.md). Larger is better.
/// </summary>
public sealed class ZicoProxy : TorchProxy
{
    public override string Name => "zico";
    public override string Description => "Σ over layers of ln Σ mean|g|/std(g) of weight gradients over two batches";

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        var pass = session.Gradients(needSecondBatch: true);
        double score = 0;
        using var scope = NewDisposeScope();
        foreach (var l in pass.Layers)
        {
            if (l.Grad is null || l.SecondGrad is null) continue;
            var g = stack([l.Grad, l.SecondGrad]);
            var mean = g.abs().mean([0]);
            var std = g.std(0, unbiased: false);
            var nz = std.gt(0);
            double r = (mean.masked_select(nz) / std.masked_select(nz)).sum().item<double>();
            if (r > 0) score += Math.Log(r);
        }
        return score;
    }
}
