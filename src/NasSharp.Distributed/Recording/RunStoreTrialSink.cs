using NasSharp.Search.Store;
using NasSharp.Spaces;
using SearchTrial = NasSharp.Search.Running.TrialRecord;

namespace NasSharp.Distributed.Recording;

/// <summary>
/// Records a cluster study in the search run store (<see cref="RunStore"/>, the file `nas search --store` and
/// `nas runs` use), so cluster and in-process studies live side by side. The run store numbers trials 1..n in the
/// order they were told; the coordinator's trial id rides along as the metric <c>trial_id</c> so recording stays
/// idempotent by trial id and a resume knows which ids are done. Dispatches (for reattaching after a coordinator
/// restart) go to this sink's own table in the same file, next to the run store's tables.
/// </summary>
public sealed class RunStoreTrialSink : ITrialSink, IDisposable
{
    public const string TrialIdMetric = "trial_id";
    private readonly RunStore _store;
    private readonly ISearchSpace _space;
    private readonly SqliteTrialStore _dispatches;
    private readonly Dictionary<string, (HashSet<long> Ids, int Count)> _recorded = new(); // per study, read once

    /// <param name="store">An open run store whose study record the caller created (as `nas search` does).</param>
    public RunStoreTrialSink(RunStore store, ISearchSpace space)
    {
        _store = store;
        _space = space;
        _dispatches = new SqliteTrialStore(store.Path);
    }

    public bool TryRecord(string study, TrialRecord trial)
    {
        if (!_recorded.TryGetValue(study, out var seen))
        {
            var existing = Load(study);
            seen = (existing.Select(t => t.TrialId).ToHashSet(), existing.Count);
        }
        if (seen.Ids.Contains(trial.TrialId)) return false;
        var metrics = new Dictionary<string, double?>(trial.Result.Metrics) { [TrialIdMetric] = trial.TrialId };
        var arch = _space.Parse(trial.Architecture);
        _store.AppendTrial(study, new SearchTrial(seen.Count + 1, trial.Architecture, _space.CanonicalHash(arch),
            trial.Result with { Metrics = metrics }, trial.Result.CostSeconds));
        seen.Ids.Add(trial.TrialId);
        _recorded[study] = (seen.Ids, seen.Count + 1);
        return true;
    }

    public IReadOnlyList<TrialRecord> Load(string study) =>
        _store.Trials(study).Select(t => new TrialRecord(IdOf(t) ?? t.Number - 1, t.Arch, t.Result, 1, null)).ToList();

    public void NoteDispatched(string study, DispatchedTrial trial) => _dispatches.NoteDispatched(study, trial);

    public IReadOnlyList<DispatchedTrial> LoadUnfinished(string study)
    {
        var done = Load(study).Select(t => t.TrialId).ToHashSet();
        return _dispatches.LoadUnfinished(study).Where(d => !done.Contains(d.TrialId)).ToList();
    }

    private static long? IdOf(SearchTrial t) => t.Result.Metrics.TryGetValue(TrialIdMetric, out var v) && v is { } id ? (long)id : null;

    public void Dispose() => _dispatches.Dispose();
}
