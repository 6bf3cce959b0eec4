using System.Diagnostics;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed.Evaluators;

/// <summary>
/// Runs one evaluation the way every worker must: the architecture is parsed from its string, an exception or a
/// non-finite score becomes a failed <see cref="TrialResult"/> carrying the error (so the coordinator can count it
/// towards the poison-trial limit), and nothing NaN leaves as a score.
/// </summary>
public static class EvaluationRunner
{
    public static async Task<TrialResult> RunAsync(IEvaluator evaluator, string spaceName, string architecture, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var arch = SearchSpaces.Get(spaceName).Parse(architecture);
            var result = await evaluator.EvaluateAsync(arch, cancel).ConfigureAwait(false);
            if (!result.Failed && !double.IsFinite(result.Score))
                return result with { Score = double.NaN, Error = $"{evaluator.Name} returned a non-finite score ({result.Score}) for {architecture}" };
            return result;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            return new TrialResult(double.NaN, new Dictionary<string, double?>(), clock.Elapsed.TotalSeconds, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
