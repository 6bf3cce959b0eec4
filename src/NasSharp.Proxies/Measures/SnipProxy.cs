using NasSharp.Proxies.Harness;

namespace NasSharp.Proxies.Measures;

/// <summary>snip: Σ |θ ⊙ ∂L/∂θ| (= Σ|∂L/∂m| at mask m = 1). Larger is better.</summary>
public sealed class SnipProxy : TorchProxy
{
    public override string Name => "snip";
    public override string Description => "Σ |θ ⊙ ∂L/∂θ| over Conv2d/Linear weights (connection sensitivity)";

    protected override double Compute(ProxySession session, List<string> warnings) =>
        session.Gradients().Layers.Where(l => l.Grad is not null).Sum(l => (l.Weight * l.Grad!).abs().sum().item<double>());
}
