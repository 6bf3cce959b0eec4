using System.Diagnostics;
using NasSharp.Proxies.Harness;
using NasSharp.Spaces;

namespace NasSharp.Proxies;

/// <summary>One proxy's score on one architecture, with the seconds it took (a shared pass is charged to the first proxy that needed it).</summary>
public sealed record ProxyScore(string Proxy, double Value, IReadOnlyList<string> Warnings, double Seconds);

/// <summary>
/// Scores several proxies on one architecture with one <see cref="ProxySession"/>: one network seed, one batch, and each
/// shared pass (CE gradients, Jacobian + ReLU codes) run once for all proxies that need it.
/// </summary>
public static class ProxyRunner
{
    public static IReadOnlyList<ProxyScore> Score(Architecture arch, IReadOnlyList<TorchProxy> proxies, ProxyContext context, ProxyBatch? batch = null)
    {
        using var session = ProxySession.ForArchitecture(arch, context, batch);
        return Score(session, proxies);
    }

    public static IReadOnlyList<ProxyScore> Score(ProxySession session, IReadOnlyList<TorchProxy> proxies)
    {
        var results = new List<ProxyScore>(proxies.Count);
        foreach (var p in proxies)
        {
            var sw = Stopwatch.StartNew();
            var r = p.Score(session);
            results.Add(new ProxyScore(p.Name, r.Value, r.Warnings, sw.Elapsed.TotalSeconds));
        }
        return results;
    }
}
