using System.Globalization;
using System.Text.Json;

namespace NasSharp.Proxies.Evaluation;

/// <summary>One proxy's row of the validation table: our scores vs the NBSZ reference, and both vs accuracy.</summary>
public sealed record ProxyValidationRow(
    string Proxy, int N, double? SpearmanVsReference, double? KendallVsReference,
    double OurSpearmanVsAccuracy, double OurKendallVsAccuracy,
    double? ReferenceSpearmanVsAccuracy, double? ReferenceKendallVsAccuracy,
    int OurFallbacks, int ReferenceFallbacks, double SecondsPerArchitecture);

/// <summary>Our scores of reference row <c>Row</c> (one JSON line of a scores file).</summary>
public sealed record ValidationScoreLine(int Row, string Arch, Dictionary<string, double> Scores, Dictionary<string, double> Seconds);

/// <summary>
/// Validates our proxies against NAS-Bench-Suite-Zero (<see cref="ZcReference"/>) on the first <c>limit</c> reference
/// architectures (file order). Proxies without a reference column (zen, zico, meco) get only the accuracy correlation.
/// Scoring can be split into parts (rows i with i mod parts = part) that write JSON lines as they go; the table is then
/// computed from the lines on the longest prefix 0..N−1 they cover — the same numbers `--limit N` gives in one run.
/// </summary>
public static class ProxyValidation
{
    public static IReadOnlyList<ValidationScoreLine> Score(ZcReference reference, IReadOnlyList<TorchProxy> proxies, ProxyContext context,
        int? limit, int part = 0, int parts = 1, Action<ValidationScoreLine>? onLine = null,
        IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default, IReadOnlySet<int>? skipRows = null)
    {
        if (parts < 1 || part < 0 || part >= parts) throw new NasInputException($"--part must be K/M with 0 ≤ K < M, got {part}/{parts}.");
        int n = Math.Min(limit ?? int.MaxValue, reference.Architectures.Count);
        // skipRows: rows already scored by an interrupted run (resume); they are neither scored nor returned.
        var rows = Enumerable.Range(0, n).Where(i => i % parts == part && skipRows?.Contains(i) != true).ToList();
        using var batch = Harness.ProxyData.Create(context.Dataset, context.BatchSize, context.Seed, context.DataDirectory);
        var lines = new List<ValidationScoreLine>();
        for (int k = 0; k < rows.Count; k++)
        {
            cancel.ThrowIfCancellationRequested();
            var arch = reference.Architectures[rows[k]];
            var s = ProxyRunner.Score(arch, proxies, context, batch);
            var line = new ValidationScoreLine(rows[k], Spaces.Nb201.Nb201Space.Instance.Format(arch),
                s.ToDictionary(x => x.Proxy, x => x.Value), s.ToDictionary(x => x.Proxy, x => x.Seconds));
            lines.Add(line);
            onLine?.Invoke(line);
            progress?.Report(new ProgressInfo(k + 1, rows.Count));
        }
        return lines;
    }

    public static string ToJsonLine(ValidationScoreLine line) => JsonSerializer.Serialize(line);

    /// <summary>The table on the longest prefix of reference rows 0..N−1 covered by <paramref name="lines"/>.</summary>
    public static IReadOnlyList<ProxyValidationRow> Compare(ZcReference reference, IReadOnlyList<string> proxies, IReadOnlyList<ValidationScoreLine> lines)
    {
        var byRow = lines.GroupBy(l => l.Row).ToDictionary(g => g.Key, g => g.First());
        int n = 0;
        while (byRow.ContainsKey(n) && n < reference.Architectures.Count) n++;
        if (n < 3) throw new NasInputException($"The scores cover only the first {n} reference rows; a rank correlation needs at least 3.");
        var prefix = Enumerable.Range(0, n).Select(i => byRow[i]).ToList();
        foreach (var l in prefix)
            if (l.Arch != Spaces.Nb201.Nb201Space.Instance.Format(reference.Architectures[l.Row]))
                throw new NasInputException($"Scores row {l.Row} is {l.Arch}, but the reference has another architecture there (a different dataset or file?).");
        var acc = reference.ValAccuracy.Take(n).ToArray();
        var result = new List<ProxyValidationRow>();
        foreach (var name in proxies)
        {
            var ours = prefix.Select(l => l.Scores.TryGetValue(name, out var v) ? v : double.NaN).ToArray();
            double seconds = prefix.Average(l => l.Seconds.GetValueOrDefault(name));
            int ourFallbacks = ours.Count(v => v == TorchProxy.Fallback);
            var ourAcc = ProxyCorrelation.Of(ours, acc);
            if (!reference.Scores.TryGetValue(name, out var refAll))
            {
                result.Add(new ProxyValidationRow(name, n, null, null, ourAcc.Spearman, ourAcc.Kendall, null, null, ourFallbacks, 0, seconds));
                continue;
            }
            var refScores = refAll.Take(n).ToArray();
            // Synflow: compare with NASLib's logged form (monotone on positives, so ranks only change where 0 meets ln < 0).
            var oursForRef = name == "synflow" ? ours.Select(ZcReference.NaslibSynflow).ToArray() : ours;
            var vsRef = ProxyCorrelation.Of(oursForRef, refScores);
            var refAcc = ProxyCorrelation.Of(refScores, acc);
            result.Add(new ProxyValidationRow(name, vsRef.N, vsRef.Spearman, vsRef.Kendall, ourAcc.Spearman, ourAcc.Kendall,
                refAcc.Spearman, refAcc.Kendall, ourFallbacks,
                refScores.Count(v => v == TorchProxy.Fallback || double.IsInfinity(v)), seconds));
        }
        return result;
    }
}
