using System.Diagnostics;
using NasSharp.Spaces;

namespace NasSharp.Search.Running;

/// <summary>
/// The in-process, sequential execution engine: ask → evaluate → tell until the budget is spent. Finished trials from an
/// earlier (interrupted) run are replayed first — each is asked again and must come back identical, then told its stored
/// result — which restores the strategy exactly because its state is a pure function of its seed and the told sequence.
/// Each new trial is handed to <c>onTrial</c> (the run store) before the strategy hears of it, so a kill at any point
/// loses at most the trial in flight.
/// </summary>
public static class SearchLoop
{
    public static List<TrialRecord> Run(ISearchSpace space, ISearchStrategy strategy, IEvaluator evaluator, int budget,
        IReadOnlyList<TrialRecord>? finished = null, Action<TrialRecord>? onTrial = null,
        IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        if (budget <= 0) throw new NasInputException($"The budget must be a positive number of evaluations, got {budget}.");
        var trials = new List<TrialRecord>(budget);
        foreach (var done in finished ?? [])
        {
            if (trials.Count >= budget) break;
            var asked = strategy.Ask();
            var text = space.Format(asked);
            if (!string.Equals(text, done.Arch, StringComparison.Ordinal))
                throw new NasInputException($"Stored trial {done.Number} was '{done.Arch}' but the strategy now proposes '{text}': the study was recorded with other options, seed or code version; start a new --study.");
            strategy.Tell(asked, done.Result);
            trials.Add(done with { Number = trials.Count + 1 });
            progress?.Report(new ProgressInfo(trials.Count, budget, "replaying stored trials"));
        }
        progress?.Report(new ProgressInfo(trials.Count, budget));
        while (trials.Count < budget)
        {
            cancel.ThrowIfCancellationRequested();
            var arch = strategy.Ask();
            var sw = Stopwatch.StartNew();
            var result = Checked(evaluator.EvaluateAsync(arch, cancel).GetAwaiter().GetResult(), evaluator);
            var record = new TrialRecord(trials.Count + 1, space.Format(arch), space.CanonicalHash(arch), result, sw.Elapsed.TotalSeconds);
            onTrial?.Invoke(record);
            trials.Add(record);
            strategy.Tell(arch, result);
            progress?.Report(new ProgressInfo(trials.Count, budget));
        }
        return trials;
    }

    /// <summary>
    /// A "successful" result with a NaN/∞ score (a diverged training run, a broken proxy) becomes a failed trial whose
    /// error says so: it is stored and reported (failed_trials, first_error), strategies skip it, and it can never
    /// become the incumbent or poison a surrogate.
    /// </summary>
    public static TrialResult Checked(TrialResult result, IEvaluator evaluator) =>
        result.Failed || double.IsFinite(result.Score) ? result
            : result with { Error = $"evaluator '{evaluator.Name}' returned a non-finite score ({result.Score}); recorded as a failed trial" };
}
