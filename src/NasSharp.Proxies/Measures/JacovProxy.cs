using NasSharp.Proxies.Harness;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// jacob_cov (NASLib "jacov"): C = corrcoef of the per-image input Jacobians of Σ logits, eigenvalues v (symmetric
/// solver, float64); score = −Σ [ln(v + 1e−5) + 1/(v + 1e−5)]. Always negative, closer to 0 is better.
/// A constant Jacobian row (output independent of the input) makes C undefined: NaN → −1e8 with a warning.
/// </summary>
public sealed class JacovProxy : TorchProxy
{
    private const double K = 1e-5;
    public override string Name => "jacov";
    public override string Description => "−Σ[ln(v+k)+1/(v+k)] over eigenvalues v of the correlation matrix of input Jacobians";

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        var pass = session.Jacobian;
        if (pass.InputIndependent) warnings.Add("jacov: the output does not depend on the input (disconnected cell); Jacobian is zero");
        using var scope = NewDisposeScope();
        var c = Numerics.RowCorrelation(pass.Jacobian);
        if (isnan(c).any().item<bool>()) return double.NaN;
        var v = linalg.eigvalsh(c) + K;
        return -(v.log() + v.reciprocal()).sum().item<double>();
    }
}
