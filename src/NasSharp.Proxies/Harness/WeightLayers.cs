using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>
/// The layers per-weight proxies aggregate over: every Conv2d and Linear module in <c>modules()</c> order, and only its
/// <c>.weight</c> (never biases or BN parameters), as in the reference code (docs/methods/zero-cost-proxies.md §1.3).
/// </summary>
public static class WeightLayers
{
    public static IReadOnlyList<(nn.Module Module, Tensor Weight)> Of(nn.Module net) =>
        net.modules().Select(m => m switch
        {
            Conv2d c => (m, c.weight!),
            Linear l => (m, l.weight!),
            _ => ((nn.Module, Tensor)?)null,
        }).Where(t => t is not null).Select(t => t!.Value).ToList();

    public static bool IsDefined(Tensor? t) => t is not null && !t.IsInvalid;
}
