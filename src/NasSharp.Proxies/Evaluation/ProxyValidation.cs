namespace NasSharp.Proxies.Evaluation;

/// <summary>One proxy's row of the validation table: our scores vs the NBSZ reference, and both vs accuracy.</summary>
public sealed record ProxyValidationRow(
    string Proxy, int N, double? SpearmanVsReference, double? KendallVsReference,
    double OurSpearmanVsAccuracy, double OurKendallVsAccuracy,
    double? ReferenceSpearmanVsAccuracy, double? ReferenceKendallVsAccuracy,
    int OurFallbacks, int ReferenceFallbacks, double SecondsPerArchitecture);

/// <summary>
/// Validates our proxies against NAS-Bench-Suite-Zero (<see cref="ZcReference"/>): scores the first <c>limit</c>
/// reference architectures (file order) and compares per proxy. Proxies without a reference column (zen, zico, meco)
/// get only the accuracy correlation.
/// </summary>
public static class ProxyValidation
{
    public static (IReadOnlyList<ProxyValidationRow> Rows, ArchitectureScores Scores) Run(
        ZcReference reference, IReadOnlyList<TorchProxy> proxies, ProxyContext context, int? limit,
        IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        int n = Math.Min(limit ?? int.MaxValue, reference.Architectures.Count);
        var archs = reference.Architectures.Take(n).ToList();
        var acc = reference.ValAccuracy.Take(n).ToArray();
        var scores = ArchitectureScores.Compute(archs, proxies, context, progress, cancel);
        var rows = new List<ProxyValidationRow>();
        foreach (var p in proxies)
        {
            var ours = scores.Values[p.Name];
            var ourAcc = ProxyCorrelation.Of(ours, acc);
            if (!reference.Scores.TryGetValue(p.Name, out var refAll))
            {
                rows.Add(new ProxyValidationRow(p.Name, n, null, null, ourAcc.Spearman, ourAcc.Kendall, null, null,
                    scores.FallbackCounts[p.Name], 0, scores.SecondsPerArchitecture[p.Name]));
                continue;
            }
            var refScores = refAll.Take(n).ToArray();
            // Synflow: compare with NASLib's logged form (monotone on positives, so ranks only change where 0 meets ln < 0).
            var oursForRef = p.Name == "synflow" ? ours.Select(ZcReference.NaslibSynflow).ToArray() : ours;
            var vsRef = ProxyCorrelation.Of(oursForRef, refScores);
            var refAcc = ProxyCorrelation.Of(refScores, acc);
            rows.Add(new ProxyValidationRow(p.Name, vsRef.N, vsRef.Spearman, vsRef.Kendall, ourAcc.Spearman, ourAcc.Kendall,
                refAcc.Spearman, refAcc.Kendall, scores.FallbackCounts[p.Name],
                refScores.Count(v => v == TorchProxy.Fallback || double.IsInfinity(v)), scores.SecondsPerArchitecture[p.Name]));
        }
        return (rows, scores);
    }
}
