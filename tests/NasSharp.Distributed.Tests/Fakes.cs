using System.Collections.Concurrent;
using NasSharp.Distributed.Engine;
using NasSharp.Search;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

/// <summary>A small adaptive strategy (mutate the best so far or sample), so asked candidates depend on what was told.</summary>
internal sealed class HillClimbStrategy(int seed) : ISearchStrategy
{
    private readonly Random _rng = new(seed);
    private Architecture? _best;
    private double _bestScore = double.NegativeInfinity;
    public List<(Architecture Arch, TrialResult Result)> Told { get; } = new();
    public string Name => "hill-climb-test";
    private static ISearchSpace Space => Nb201Space.Instance;

    public Architecture Ask() => _best is not null && _rng.NextDouble() < 0.7 ? Space.Mutate(_best, _rng) : Space.Sample(_rng);

    public void Tell(Architecture arch, TrialResult result)
    {
        lock (Told) Told.Add((arch, result));
        if (!result.Failed && result.Score > _bestScore) { _bestScore = result.Score; _best = arch; }
    }
}

/// <summary>Asks a fixed list of architectures (by NB201 index), in order.</summary>
internal sealed class ListStrategy(IEnumerable<Architecture> archs) : ISearchStrategy
{
    private readonly Queue<Architecture> _next = new(archs);
    public List<(Architecture Arch, TrialResult Result)> Told { get; } = new();
    public string Name => "list-test";
    public Architecture Ask() => _next.Dequeue();
    public void Tell(Architecture arch, TrialResult result) => Told.Add((arch, result));
}

/// <summary>A deterministic score per architecture (FNV-1a of its string, 0..99.9) — stable across processes.</summary>
internal static class FakeScore
{
    public static double Of(string arch)
    {
        uint h = 2166136261;
        foreach (char c in arch) { h ^= c; h *= 16777619; }
        return h % 1000 / 10.0;
    }

    public static TrialResult Result(string arch) => new(Of(arch), new Dictionary<string, double?> { ["fake"] = Of(arch) }, 0.01);
}

/// <summary>An evaluator with the fake score, a per-architecture delay, and a record of concurrency.</summary>
internal sealed class FakeEvaluator(Func<string, TimeSpan>? delay = null, Func<string, TrialResult?>? overrideResult = null) : IEvaluator
{
    private int _running;
    public int MaxConcurrent;
    public ConcurrentQueue<string> Calls { get; } = new();
    public string Name => "fake";

    public async Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        string text = Nb201Space.Instance.Format(arch);
        Calls.Enqueue(text);
        int now = Interlocked.Increment(ref _running);
        lock (Calls) MaxConcurrent = Math.Max(MaxConcurrent, now);
        try
        {
            await Task.Delay(delay?.Invoke(text) ?? TimeSpan.FromMilliseconds(5), cancel);
            return overrideResult?.Invoke(text) ?? FakeScore.Result(text);
        }
        finally { Interlocked.Decrement(ref _running); }
    }
}

/// <summary>
/// A worker pool whose workers can be scripted to die: a "dead" worker never answers (its calls hang until the
/// coordinator cancels them) and, when <see cref="Vanish"/> is called, it also leaves the worker list.
/// </summary>
internal sealed class ScriptedPool(params (string Id, int Slots)[] workers) : IWorkerPool
{
    private readonly ConcurrentDictionary<string, int> _workers = new(workers.ToDictionary(w => w.Id, w => w.Slots));
    private readonly ConcurrentDictionary<string, bool> _dead = new();
    public ConcurrentQueue<(string Worker, TrialRequest Request)> Calls { get; } = new();
    /// <summary>Calls to a worker after this many (per worker) hang: the worker "dies" mid-trial.</summary>
    public ConcurrentDictionary<string, int> DieAfterCalls { get; } = new();
    /// <summary>When set, a dead worker's hung call still answers after this delay, ignoring cancellation (a late re-delivery).</summary>
    public TimeSpan? LateAnswer { get; init; }
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Workers whose evaluator cannot be built (missing tables): every call fails with <see cref="WorkerSetupException"/>.</summary>
    public HashSet<string> Broken { get; init; } = new();

    public Task<IReadOnlyList<WorkerSlot>> GetWorkersAsync(CancellationToken cancel) =>
        Task.FromResult<IReadOnlyList<WorkerSlot>>(_workers.Select(w => new WorkerSlot(w.Key, w.Value)).OrderBy(w => w.WorkerId).ToList());

    public void Vanish(string id) => _workers.TryRemove(id, out _);

    public async Task<TrialResult> EvaluateAsync(string workerId, TrialRequest request, CancellationToken cancel)
    {
        Calls.Enqueue((workerId, request));
        if (Broken.Contains(workerId)) throw new WorkerSetupException("cannot build its 'benchmark' evaluator for nb201/cifar10: NAS-Bench-201 table not found");
        int n = Calls.Count(c => c.Worker == workerId);
        if (DieAfterCalls.TryGetValue(workerId, out int limit) && n > limit) _dead[workerId] = true;
        if (_dead.ContainsKey(workerId))
        {
            if (LateAnswer is { } late) { await Task.Delay(late, CancellationToken.None); return FakeScore.Result(request.Architecture); }
            await Task.Delay(Timeout.Infinite, cancel);
        }
        await Task.Delay(Delay, cancel);
        return FakeScore.Result(request.Architecture);
    }
}
