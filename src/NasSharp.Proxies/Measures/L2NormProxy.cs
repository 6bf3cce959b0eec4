using NasSharp.Proxies.Harness;

namespace NasSharp.Proxies.Measures;

/// <summary>l2_norm: Σ_l ‖θ_l‖₂ over Conv2d/Linear weights of the initialised network (only the ops the architecture
/// uses are built). No data. Larger is better.</summary>
public sealed class L2NormProxy : TorchProxy
{
    public override string Name => "l2_norm";
    public override string Description => "Σ over Conv2d/Linear layers of the Frobenius norm of the initial weights";
    public override bool UsesImages => false;

    protected override double Compute(ProxySession session, List<string> warnings) =>
        WeightLayers.Of(session.Original).Sum(l => l.Weight.detach().to(TorchSharp.torch.float64).norm().item<double>());
}
