using NasSharp.Search;

namespace NasSharp.Distributed.Recording;

/// <summary>A finished trial as recorded: its id within the study, the architecture string, the result, who ran it.</summary>
public sealed record TrialRecord(long TrialId, string Architecture, TrialResult Result, int Attempts, string? Worker);

/// <summary>A trial handed to a worker but not yet recorded (needed to reattach after a coordinator restart).</summary>
public sealed record DispatchedTrial(long TrialId, string Architecture, int Attempt, string Worker);

/// <summary>
/// Where a study's finished trials go. Recording is idempotent by trial id: the first result for an id is kept and
/// every later delivery of the same id is ignored (returns false), so re-delivered results never make duplicate rows.
/// </summary>
public interface ITrialSink
{
    /// <summary>Records a finished (or finally failed) trial; false when the id was already recorded.</summary>
    bool TryRecord(string study, TrialRecord trial);
    /// <summary>The recorded trials of a study in the order they were recorded (the order the strategy was told).</summary>
    IReadOnlyList<TrialRecord> Load(string study);
    /// <summary>Notes that an attempt was handed to a worker (overwrites the trial's previous dispatch).</summary>
    void NoteDispatched(string study, DispatchedTrial trial);
    /// <summary>Dispatched trials without a recorded result, by trial id.</summary>
    IReadOnlyList<DispatchedTrial> LoadUnfinished(string study);
}
