using NasSharp.Proxies.Harness;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// naswot (NASLib "nwot"): ln|det K|, K = Σ over every ReLU of c·cᵀ + (1−c)(1−c)ᵀ with c = 1[ReLU input &gt; 0] per image
/// (all ReLUs, NASLib's variant; float64). A singular K gives −∞ → −1e8 with a warning. Larger is better.
/// </summary>
public sealed class NaswotProxy : TorchProxy
{
    public override string Name => "nwot";
    public override string Description => "ln|det K| of the Hamming-agreement kernel of ReLU activation codes";

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        var pass = session.Jacobian;
        if (pass.ReluCount == 0) warnings.Add("nwot: the network has no ReLU module; K = 0");
        var (_, logabsdet) = linalg.slogdet(pass.NaswotKernel);
        using (logabsdet) return logabsdet.item<double>();
    }
}
