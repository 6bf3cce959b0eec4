using NasSharp.Proxies.Harness;
using NasSharp.Torch.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// zen (Zen-score, NASLib variant): re-initialise a copy (Conv/Linear weights N(0,1), biases 0, BN γ=1 β=0), draw
/// x, ε ~ N(0,1) of the batch's shape; Δ = mean_n Σ|f(x) − f(x + 0.01ε)| on the pre-global-pool features f (train mode,
/// no gradients); score = ln Δ + Σ_BN ln √mean(running_var) read after the two forwards (as the code, not the paper).
/// Networks that do not expose features (<see cref="INasNetwork"/>) use their output. Larger is better.
/// </summary>
public sealed class ZenProxy : TorchProxy
{
    public override string Name => "zen";
    public override string Description => "ln E|f(x)−f(x+0.01ε)| of pre-pool features under Gaussian init, plus Σ ln √mean BN running var";
    public override bool UsesImages => false;

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        using var net = session.NewCopy(batchNorm: true);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gen = new Generator().manual_seed(session.Seed);
        foreach (var m in net.modules())
        {
            switch (m)
            {
                case Conv2d c: c.weight!.normal_(0, 1, gen); c.bias?.zero_(); break;
                case Linear l: l.weight!.normal_(0, 1, gen); l.bias?.zero_(); break;
                case BatchNorm2d b: b.weight?.fill_(1); b.bias?.zero_(); break;
            }
        }
        var shape = session.Batch.Inputs.shape;
        var x = randn(shape, generator: gen);
        var eps = randn(shape, generator: gen);
        Func<Tensor, Tensor> features = net is INasNetwork nas ? nas.Features : net.call;
        var f1 = features(x);
        var f2 = features(x + 1e-2 * eps);
        var delta = (f1 - f2).abs().reshape(shape[0], -1).sum([1]).mean().to(float64).item<double>();
        double bnTerm = net.modules().OfType<BatchNorm2d>()
            .Where(b => b.running_var is not null)
            .Sum(b => Math.Log(Math.Sqrt(b.running_var!.mean().to(float64).item<double>())));
        if (delta == 0) warnings.Add("zen: the features do not depend on the input (Δ = 0)");
        return Math.Log(delta) + bnTerm;
    }
}
