using System.Collections.Concurrent;
using System.Diagnostics;
using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Evaluators;
using NasSharp.Search;

namespace NasSharp.Distributed.Orleans;

/// <summary>A worker silo's settings: concurrent trials, memory admission limit, evaluator.</summary>
public sealed record WorkerSettings(int Threads, EvaluatorSettings Evaluator)
{
    /// <summary>0 = no limit; otherwise a trial waits to start while the process uses more than this and another trial runs.</summary>
    public long MemoryLimitMb { get; init; }

    public void Validate()
    {
        if (Threads < 1) throw new NasInputException($"--threads must be at least 1 (got {Threads}).");
        if (MemoryLimitMb < 0) throw new NasInputException($"--memory-mb must be 0 (no limit) or positive (got {MemoryLimitMb}).");
        WorkerEvaluators.Validate(Evaluator);
    }
}

/// <summary>
/// The per-silo evaluation service behind <see cref="EvaluationWorkerGrain"/>: runs at most <c>Threads</c> trials at
/// once on the thread pool (never on the grain scheduler), remembers each attempt by (study, trial, attempt) so a
/// repeated request — a coordinator that restarted — reattaches to the running or finished evaluation, and keeps the
/// counters `nas cluster status` shows.
/// </summary>
public sealed class WorkerRuntime(WorkerSettings settings) : IDisposable
{
    private const int KeepFinished = 4096;
    private readonly SemaphoreSlim _slots = new(settings.Threads, settings.Threads);
    private readonly WorkerEvaluators _evaluators = new(settings.Evaluator);
    private readonly ConcurrentDictionary<string, Lazy<Task<TrialResult>>> _attempts = new();
    private readonly ConcurrentQueue<string> _finishedOrder = new();
    private readonly ConcurrentDictionary<string, RunningTrial> _running = new();
    private readonly ConcurrentQueue<DateTime> _recentCompletions = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _completed, _failed;

    public WorkerSettings Settings => settings;
    public DateTime StartedUtc { get; } = DateTime.UtcNow;
    public IReadOnlyCollection<RunningTrial> Running => _running.Values.ToList();
    public long Completed => Interlocked.Read(ref _completed);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Builds (and caches) the evaluator for a space and dataset now, so the first trial does not pay for loading tables.</summary>
    public void Preload(string space, string dataset) => _evaluators.Get(space, dataset);

    public Task<TrialResult> RunAsync(TrialRequest request, CancellationToken cancel)
    {
        string key = $"{request.Study}/{request.TrialId}/{request.Attempt}";
        var attempt = _attempts.GetOrAdd(key, k => new Lazy<Task<TrialResult>>(() => Task.Run(() => EvaluateAsync(k, request))));
        // The caller may give up (timeout, coordinator stopped); the evaluation still finishes so a reattach finds it.
        return attempt.Value.WaitAsync(cancel);
    }

    private async Task<TrialResult> EvaluateAsync(string key, TrialRequest request)
    {
        await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
        try
        {
            _running[key] = new RunningTrial(request.Study, request.TrialId, request.Attempt, request.Architecture, DateTime.UtcNow);
            await WaitForMemoryAsync().ConfigureAwait(false);
            IEvaluator evaluator;
            try { evaluator = _evaluators.Get(request.Space, request.Dataset); }
            catch (Exception e)
            {
                throw new WorkerSetupException($"cannot build its '{settings.Evaluator.Name}' evaluator for {request.Space}/{request.Dataset}: {e.Message}", e);
            }
            var result = await EvaluationRunner.RunAsync(evaluator, request.Space, request.Architecture, _stopping.Token).ConfigureAwait(false);
            if (result.Failed) Interlocked.Increment(ref _failed); else Interlocked.Increment(ref _completed);
            _recentCompletions.Enqueue(DateTime.UtcNow);
            return result;
        }
        finally
        {
            _running.TryRemove(key, out _);
            _slots.Release();
            _finishedOrder.Enqueue(key);
            while (_finishedOrder.Count > KeepFinished && _finishedOrder.TryDequeue(out var old)) _attempts.TryRemove(old, out _);
        }
    }

    /// <summary>Memory admission: a trial does not start while the process is over the limit and another trial is running.</summary>
    private async Task WaitForMemoryAsync()
    {
        if (settings.MemoryLimitMb <= 0) return;
        while (WorkingSetMb() > settings.MemoryLimitMb && _running.Count > 1)
        {
            GC.Collect();
            await Task.Delay(200, _stopping.Token).ConfigureAwait(false);
        }
    }

    public static long WorkingSetMb()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64 / (1024 * 1024);
    }

    /// <summary>Trials finished per second over the last minute (or since start, when younger).</summary>
    public double TrialsPerSecondLastMinute()
    {
        var now = DateTime.UtcNow;
        while (_recentCompletions.TryPeek(out var t) && now - t > TimeSpan.FromMinutes(1)) _recentCompletions.TryDequeue(out _);
        double window = Math.Min(60, Math.Max(1e-3, (now - StartedUtc).TotalSeconds));
        return _recentCompletions.Count / window;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
