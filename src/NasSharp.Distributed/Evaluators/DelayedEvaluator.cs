using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed.Evaluators;

/// <summary>
/// Adds an artificial training time to a fast evaluator (a table lookup), so the engine's throughput and scaling can
/// be measured as if every trial trained for <paramref name="delay"/>. The delay is a real wait, not a busy loop.
/// </summary>
public sealed class DelayedEvaluator(IEvaluator inner, TimeSpan delay) : IEvaluator
{
    public string Name => $"{inner.Name}+{delay.TotalMilliseconds:0}ms";

    public async Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        if (delay > TimeSpan.Zero) await Task.Delay(delay, cancel).ConfigureAwait(false);
        return await inner.EvaluateAsync(arch, cancel).ConfigureAwait(false);
    }
}
