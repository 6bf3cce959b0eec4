using System.Diagnostics;
using NasSharp.Proxies;
using NasSharp.Spaces;

namespace NasSharp.Search.Evaluators;

/// <summary>
/// Evaluates an architecture with any zero-cost proxy (or learned predictor exposed as <see cref="IProxy"/>): the score is
/// the proxy value (larger is better by the IProxy contract), the cost is the measured wall time. Optionally a benchmark
/// evaluator supplies the true accuracies as extra metrics (for reporting only; the search never sees them).
/// </summary>
public sealed class ProxyEvaluator(IProxy proxy, ProxyContext context, BenchmarkEvaluator? truth = null) : IEvaluator
{
    public string Name => $"proxy:{proxy.Name}";

    public async Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        ProxyResult r;
        try { r = proxy.Score(arch, context); }
        catch (NasInputException) { throw; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TrialResult(double.NaN, new Dictionary<string, double?>(), sw.Elapsed.TotalSeconds, $"{proxy.Name} failed: {e.Message}");
        }
        double cost = sw.Elapsed.TotalSeconds;
        var metrics = new Dictionary<string, double?> { [proxy.Name] = r.Value };
        if (truth is not null)
        {
            var t = await truth.EvaluateAsync(arch, cancel).ConfigureAwait(false);
            foreach (var (k, v) in t.Metrics) metrics.TryAdd(k, v);
        }
        return double.IsFinite(r.Value)
            ? new TrialResult(r.Value, metrics, cost)
            : new TrialResult(double.NaN, metrics, cost, $"{proxy.Name} returned {r.Value}");
    }
}
