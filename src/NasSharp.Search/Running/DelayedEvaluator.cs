namespace NasSharp.Search.Running;

/// <summary>
/// Waits a fixed time before each evaluation (option delay_ms): makes a table-lookup run last long enough to be killed
/// and resumed in rehearsals and tests. Same name as the evaluator it wraps: it changes timing, never results.
/// </summary>
public sealed class DelayedEvaluator(IEvaluator inner, int delayMs) : IEvaluator
{
    public string Name => inner.Name;

    public async Task<TrialResult> EvaluateAsync(NasSharp.Spaces.Architecture arch, CancellationToken cancel = default)
    {
        await Task.Delay(delayMs, cancel).ConfigureAwait(false);
        return await inner.EvaluateAsync(arch, cancel).ConfigureAwait(false);
    }
}
