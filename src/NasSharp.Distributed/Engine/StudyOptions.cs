using NasSharp.Distributed.Recording;

namespace NasSharp.Distributed.Engine;

/// <summary>When the strategy is told results.</summary>
public enum TellOrder
{
    /// <summary>As they arrive: fully asynchronous, every free worker gets a new candidate at once (runs depend on timing).</summary>
    Arrival,
    /// <summary>
    /// In trial-id order, and trial k is asked only after trials 0..k-W-1 were told (W = parallelism). The asked
    /// sequence then depends only on the seed and W — not on timing, worker count or faults — at the price of a worker
    /// idling when the oldest running trial is slow.
    /// </summary>
    Deterministic,
}

/// <summary>How a study runs on a worker pool.</summary>
public sealed record StudyOptions(string StudyId, string Space, string Dataset, int Budget)
{
    /// <summary>Most trials in flight at once; 0 = every free worker slot (only with <see cref="TellOrder.Arrival"/>).</summary>
    public int Parallelism { get; init; }
    public TellOrder Order { get; init; } = TellOrder.Arrival;
    /// <summary>Attempts that end in an evaluation error or a non-finite score before the trial is recorded as failed.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Attempts lost to a dead, unreachable or timed-out worker before the trial is recorded as failed.</summary>
    public int MaxLostAttempts { get; init; } = 5;
    /// <summary>An attempt running longer than this is given up and re-assigned to another worker.</summary>
    public TimeSpan TrialTimeout { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Re-tell the trials already in the store and re-dispatch the ones that were running.</summary>
    public bool Resume { get; init; }
    /// <summary>How often the live worker list is refreshed.</summary>
    public TimeSpan WorkerRefresh { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A worker that lost an attempt gets no new one for this long (it is probably dying).</summary>
    public TimeSpan SuspectFor { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Give up when no worker has been available for this long.</summary>
    public TimeSpan NoWorkersTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public IProgress<ProgressInfo>? Progress { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(StudyId)) throw new NasInputException("The study id is empty; give --study NAME.");
        if (Budget < 1) throw new NasInputException($"--budget must be at least 1 (got {Budget}).");
        if (Parallelism < 0) throw new NasInputException($"--parallel must be 0 (all worker slots) or positive (got {Parallelism}).");
        if (Order == TellOrder.Deterministic && Parallelism == 0)
            throw new NasInputException("Deterministic tell order needs a fixed window: give --parallel N (N > 0).");
        if (MaxAttempts < 1 || MaxLostAttempts < 1) throw new NasInputException("--max-attempts and --max-lost must be at least 1.");
        if (TrialTimeout <= TimeSpan.Zero) throw new NasInputException("--trial-timeout must be positive.");
    }
}

/// <summary>What a study produced: every recorded trial in the order it was recorded, plus fault statistics.</summary>
public sealed record StudyReport(string StudyId, IReadOnlyList<TrialRecord> Trials, TimeSpan Wall)
{
    /// <summary>Trials re-told from the store at start (resume).</summary>
    public int Resumed { get; init; }
    /// <summary>Attempts lost to dead/unreachable/timed-out workers and re-assigned.</summary>
    public int Reassigned { get; init; }
    /// <summary>Attempts that failed (exception, NaN) and were retried.</summary>
    public int Retried { get; init; }
    /// <summary>Results that arrived for a trial already recorded and were dropped.</summary>
    public int DuplicatesIgnored { get; init; }
    public int Failed => Trials.Count(t => t.Result.Failed);
}
