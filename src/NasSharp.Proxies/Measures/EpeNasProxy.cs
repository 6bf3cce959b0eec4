using NasSharp.Proxies.Harness;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// epe_nas: the input Jacobian rows (as jacov) grouped by label; per class s_c = Σ ln(|corrcoef(J_c)| + 1e−5)
/// (÷ rows when there are more than 100 classes); score = Σ_c |s_c| (≤ 100 classes) or Σ_c Σ_c' |s_c − s_c'| / classes seen.
/// A single-sample class contributes ln(1 + 1e−5) (≤ 100 classes) or is skipped (> 100), as in NASLib. Larger is better.
/// </summary>
public sealed class EpeNasProxy : TorchProxy
{
    private const double K = 1e-5;
    public override string Name => "epe_nas";
    public override string Description => "Σ over classes of |Σ ln(|corr|+1e-5)| of the per-class input-Jacobian correlation matrices";

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        var pass = session.Jacobian;
        if (pass.InputIndependent) warnings.Add("epe_nas: the output does not depend on the input (disconnected cell); Jacobian is zero");
        int classes = session.Batch.NumClasses;
        using var scope = NewDisposeScope();
        var labels = session.Batch.Labels.data<long>().ToArray();
        var perClass = new List<double>();
        foreach (var c in labels.Distinct().Order())
        {
            var rows = labels.Select((l, i) => (l, i)).Where(t => t.l == c).Select(t => (long)t.i).ToArray();
            if (rows.Length == 1)
            {
                if (classes > 100) continue; // NASLib: dividing a 0-d correlation by its length raises; the class is skipped
                perClass.Add(Math.Log(1 + K));
                continue;
            }
            var corr = Numerics.RowCorrelation(pass.Jacobian.index_select(0, tensor(rows)));
            double s = (corr.abs() + K).log().sum().item<double>();
            if (classes > 100) s /= rows.Length;
            perClass.Add(s);
        }
        if (classes <= 100) return perClass.Sum(Math.Abs);
        double total = perClass.Sum(a => perClass.Sum(b => Math.Abs(a - b)));
        return perClass.Count == 0 ? 0 : total / perClass.Count;
    }
}
