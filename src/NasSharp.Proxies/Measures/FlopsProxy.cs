using NasSharp.Proxies.Harness;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// flops: multiply-accumulates of every Conv2d and Linear for one image, plus one per output element for a bias, in
/// millions — the AutoDL / NB201 counter (pooling and BN not counted). NAS-Bench-Suite-Zero used tensorwatch, which
/// counts a little more; the ranking is nearly the same. Larger is better.
/// </summary>
public sealed class FlopsProxy : TorchProxy
{
    public override string Name => "flops";
    public override string Description => "Conv2d/Linear multiply-accumulates (+ bias) for one image, / 1e6 (NB201 counter)";
    public override bool UsesImages => false;

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        var net = session.Original;
        double flops = 0;
        var hooks = new List<Action>();
        foreach (var m in net.modules())
        {
            if (m is Conv2d conv)
            {
                var hc = conv.register_forward_hook((_, _, output) =>
                {
                    var w = conv.weight!;
                    long perOutput = w.shape[1] * w.shape[2] * w.shape[3]; // (C_in / groups)·kh·kw
                    flops += output.numel() * (double)perOutput + (conv.bias is null ? 0 : output.numel());
                    return output;
                });
                hooks.Add(() => hc.remove());
            }
            else if (m is Linear lin)
            {
                var hl = lin.register_forward_hook((_, _, output) =>
                {
                    flops += output.numel() * (double)lin.weight!.shape[1] + (lin.bias is null ? 0 : output.numel());
                    return output;
                });
                hooks.Add(() => hl.remove());
            }
        }
        using (var scope = NewDisposeScope())
        using (no_grad())
            net.call(zeros([1, .. session.Batch.ImageShape]));
        foreach (var remove in hooks) remove();
        return flops / 1e6;
    }
}
