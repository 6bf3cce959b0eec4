using NasSharp.Proxies.Harness;

namespace NasSharp.Proxies.Measures;

/// <summary>params: trainable parameters of the network, in millions (NAS-Bench-Suite-Zero unit). Larger is better.</summary>
public sealed class ParamsProxy : TorchProxy
{
    public override string Name => "params";
    public override string Description => "trainable parameters / 1e6";
    public override bool UsesImages => false;

    protected override double Compute(ProxySession session, List<string> warnings) =>
        session.Original.parameters().Where(p => p.requires_grad).Sum(p => p.numel()) / 1e6;
}
