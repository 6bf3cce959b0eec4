using NasSharp.Proxies.Harness;

namespace NasSharp.Proxies.Measures;

/// <summary>grad_norm: Σ_l ‖∂L/∂θ_l‖₂ over Conv2d/Linear weights (sum of per-layer norms). Larger is better.</summary>
public sealed class GradNormProxy : TorchProxy
{
    public override string Name => "grad_norm";
    public override string Description => "Σ over Conv2d/Linear layers of the Frobenius norm of the CE-loss weight gradient";

    protected override double Compute(ProxySession session, List<string> warnings) =>
        session.Gradients().Layers.Where(l => l.Grad is not null).Sum(l => l.Grad!.norm().item<double>());
}
