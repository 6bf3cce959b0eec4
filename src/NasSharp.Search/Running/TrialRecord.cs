namespace NasSharp.Search.Running;

/// <summary>
/// One finished evaluation of a run: its position (1-based), the architecture in its space's string form, the canonical
/// hash, the evaluator's result and the wall time the evaluation took.
/// </summary>
public sealed record TrialRecord(int Number, string Arch, string CanonicalHash, TrialResult Result, double WallSeconds);

/// <summary>Incumbent bookkeeping shared by the runner, the comparison and the CLI.</summary>
public static class Incumbents
{
    /// <summary>Index of the best trial by score among the first <paramref name="count"/> (earliest wins ties), or -1.</summary>
    public static int Best(IReadOnlyList<TrialRecord> trials, int count = int.MaxValue)
    {
        int best = -1;
        for (int i = 0; i < Math.Min(count, trials.Count); i++)
            if (!trials[i].Result.Failed && (best < 0 || trials[i].Result.Score > trials[best].Result.Score)) best = i;
        return best;
    }

    /// <summary>After each trial: the incumbent's (best score so far) value of <paramref name="metric"/>, null before any success.</summary>
    public static double?[] MetricTrajectory(IReadOnlyList<TrialRecord> trials, string metric)
    {
        var result = new double?[trials.Count];
        int best = -1;
        for (int i = 0; i < trials.Count; i++)
        {
            if (!trials[i].Result.Failed && (best < 0 || trials[i].Result.Score > trials[best].Result.Score)) best = i;
            result[i] = best < 0 ? null : trials[best].Result.Metrics.GetValueOrDefault(metric);
        }
        return result;
    }

    /// <summary>After each trial: the best score so far (NaN before any success).</summary>
    public static double[] ScoreTrajectory(IReadOnlyList<TrialRecord> trials)
    {
        var result = new double[trials.Count];
        double best = double.NaN;
        for (int i = 0; i < trials.Count; i++)
        {
            if (!trials[i].Result.Failed && (double.IsNaN(best) || trials[i].Result.Score > best)) best = trials[i].Result.Score;
            result[i] = best;
        }
        return result;
    }
}
