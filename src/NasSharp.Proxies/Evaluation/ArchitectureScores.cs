using System.Diagnostics;
using NasSharp.Proxies.Harness;
using NasSharp.Spaces;

namespace NasSharp.Proxies.Evaluation;

/// <summary>Scores of many architectures: Values[proxy][arch], plus seconds per architecture (all proxies) and per proxy.</summary>
public sealed record ArchitectureScores(
    IReadOnlyList<string> Proxies,
    IReadOnlyDictionary<string, double[]> Values,
    IReadOnlyDictionary<string, double> SecondsPerArchitecture,
    double TotalSecondsPerArchitecture,
    IReadOnlyDictionary<string, int> FallbackCounts,
    string BatchSource)
{
    /// <summary>Scores every architecture with every proxy, one shared session per architecture and one batch for all.</summary>
    public static ArchitectureScores Compute(IReadOnlyList<Architecture> archs, IReadOnlyList<TorchProxy> proxies, ProxyContext context,
                                             IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        using var batch = ProxyData.Create(context.Dataset, context.BatchSize, context.Seed, context.DataDirectory);
        var values = proxies.ToDictionary(p => p.Name, _ => new double[archs.Count]);
        var seconds = proxies.ToDictionary(p => p.Name, _ => 0.0);
        var fallbacks = proxies.ToDictionary(p => p.Name, _ => 0);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < archs.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var s in ProxyRunner.Score(archs[i], proxies, context, batch))
            {
                values[s.Proxy][i] = s.Value;
                seconds[s.Proxy] += s.Seconds;
                if (s.Value == TorchProxy.Fallback) fallbacks[s.Proxy]++;
            }
            progress?.Report(new ProgressInfo(i + 1, archs.Count));
        }
        int n = Math.Max(1, archs.Count);
        return new ArchitectureScores(proxies.Select(p => p.Name).ToList(), values,
            seconds.ToDictionary(kv => kv.Key, kv => kv.Value / n), total.Elapsed.TotalSeconds / n, fallbacks, batch.Source);
    }
}
