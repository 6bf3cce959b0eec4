namespace NasSharp.Distributed.Recording;

/// <summary>A sink that keeps trials in memory (studies that need no resume, tests).</summary>
public sealed class InMemoryTrialSink : ITrialSink
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<TrialRecord>> _recorded = new();
    private readonly Dictionary<string, Dictionary<long, DispatchedTrial>> _dispatched = new();

    public bool TryRecord(string study, TrialRecord trial)
    {
        lock (_gate)
        {
            var list = Get(_recorded, study);
            if (list.Any(t => t.TrialId == trial.TrialId)) return false;
            list.Add(trial);
            return true;
        }
    }

    public IReadOnlyList<TrialRecord> Load(string study)
    {
        lock (_gate) return Get(_recorded, study).ToList();
    }

    public void NoteDispatched(string study, DispatchedTrial trial)
    {
        lock (_gate) Get(_dispatched, study)[trial.TrialId] = trial;
    }

    public IReadOnlyList<DispatchedTrial> LoadUnfinished(string study)
    {
        lock (_gate)
        {
            var done = Get(_recorded, study).Select(t => t.TrialId).ToHashSet();
            return Get(_dispatched, study).Values.Where(d => !done.Contains(d.TrialId)).OrderBy(d => d.TrialId).ToList();
        }
    }

    private static T Get<T>(Dictionary<string, T> map, string key) where T : new()
    {
        if (!map.TryGetValue(key, out var v)) map[key] = v = new T();
        return v;
    }
}
