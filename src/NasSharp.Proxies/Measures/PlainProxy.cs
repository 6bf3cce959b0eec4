using NasSharp.Proxies.Harness;

namespace NasSharp.Proxies.Measures;

/// <summary>plain: Σ θ ⊙ ∂L/∂θ, signed. Used as larger-is-better like every proxy, but it correlates negatively with
/// accuracy on NB201 (NBSZ ρ ≈ −0.26); the sign is not flipped.</summary>
public sealed class PlainProxy : TorchProxy
{
    public override string Name => "plain";
    public override string Description => "Σ θ ⊙ ∂L/∂θ over Conv2d/Linear weights, signed (negatively correlated on NB201)";

    protected override double Compute(ProxySession session, List<string> warnings) =>
        session.Gradients().Layers.Where(l => l.Grad is not null).Sum(l => (l.Weight * l.Grad!).sum().item<double>());
}
