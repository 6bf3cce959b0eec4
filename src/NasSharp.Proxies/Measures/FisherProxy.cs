using NasSharp.Proxies.Harness;

namespace NasSharp.Proxies.Measures;

/// <summary>fisher: Σ_l Σ_c |½·mean_n(Σ_hw a·∂L/∂a)²| · fan-in over Conv2d/Linear outputs a (reference broadcast quirk). Larger is better.</summary>
public sealed class FisherProxy : TorchProxy
{
    public override string Name => "fisher";
    public override string Description => "Σ over layer output channels of ½·mean_n(Σ_hw activation·gradient)², times fan-in";

    protected override double Compute(ProxySession session, List<string> warnings) =>
        session.Gradients().Layers.Sum(l => l.Fisher);
}
