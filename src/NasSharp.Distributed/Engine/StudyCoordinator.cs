using System.Diagnostics;
using System.Threading.Channels;
using NasSharp.Distributed.Recording;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed.Engine;

/// <summary>
/// The coordinator of one study: keeps the workers of a pool busy by asking the strategy for a new candidate whenever
/// a slot frees up (no generation barrier), tells results as they arrive (or in trial order, see <see cref="TellOrder"/>),
/// re-assigns attempts lost to dead workers, retries failing trials a bounded number of times, and records every
/// trial exactly once in the sink. All decisions happen on one logical thread (the loop in <see cref="RunAsync"/>);
/// workers only post outcomes to a channel, so the strategy is never called concurrently.
/// </summary>
public sealed class StudyCoordinator(ISearchStrategy strategy, ISearchSpace space, IWorkerPool pool, ITrialSink sink, StudyOptions options)
{
    private sealed class Trial(long id, Architecture arch, string text)
    {
        public long Id { get; } = id;
        public Architecture Arch { get; } = arch;
        public string Text { get; } = text;
        public int Attempt;        // number of the last attempt started
        public int Errors, Lost;
        public string? LastError, LastWorker, PreferredWorker;
        public bool Done;
    }

    private sealed record Running(Trial Trial, int Attempt, string Worker, CancellationTokenSource Cts, Stopwatch Clock);
    private sealed record Outcome(Running Run, TrialResult? Result, Exception? Error);

    private readonly Channel<Outcome> _outcomes = Channel.CreateUnbounded<Outcome>();
    private readonly LinkedList<Trial> _ready = new();              // re-queued or resumed trials go first
    private readonly Dictionary<long, Running> _running = new();     // the one live attempt of each trial
    private readonly Dictionary<long, TrialRecord> _finished = new();
    private readonly Dictionary<long, Trial> _pending = new();       // dispatched or queued, not finished
    private readonly List<TrialRecord> _recordOrder = new();
    private readonly Dictionary<string, DateTime> _suspectUntil = new();
    private readonly Dictionary<string, string> _broken = new();      // workers that cannot build their evaluator, and why
    private readonly HashSet<long> _missing = new();                 // ids asked before a restart whose record was lost
    private IReadOnlyList<WorkerSlot> _workers = [];
    private Stopwatch? _refreshFailing;
    private long _nextId, _toldUpTo;
    private int _reassigned, _retried, _duplicates, _resumed;

    public async Task<StudyReport> RunAsync(CancellationToken cancel = default)
    {
        options.Validate();
        var wall = Stopwatch.StartNew();
        LoadStore();
        var lastRefresh = Stopwatch.StartNew();
        var noWorkersSince = Stopwatch.StartNew();
        await RefreshWorkersAsync(cancel);
        try
        {
            while (_finished.Count < options.Budget)
            {
                cancel.ThrowIfCancellationRequested();
                if (lastRefresh.Elapsed >= options.WorkerRefresh)
                {
                    await RefreshWorkersAsync(cancel);
                    lastRefresh.Restart();
                }
                ThrowIfEveryWorkerIsBroken();
                if (_workers.Count > 0) noWorkersSince.Restart();
                else if (noWorkersSince.Elapsed > options.NoWorkersTimeout)
                    throw new InvalidOperationException($"No worker has been available for {options.NoWorkersTimeout.TotalSeconds:0} s; start workers with 'nas worker --cluster …'.");
                Dispatch(cancel);
                Report();
                var tick = Task.Delay(options.WorkerRefresh, cancel);
                await Task.WhenAny(_outcomes.Reader.WaitToReadAsync(cancel).AsTask(), tick);
                while (_outcomes.Reader.TryRead(out var o)) Handle(o, cancel);
            }
        }
        finally
        {
            foreach (var r in _running.Values) r.Cts.Cancel();
        }
        Report();
        return new StudyReport(options.StudyId, _recordOrder.ToList(), wall.Elapsed)
        {
            Resumed = _resumed, Reassigned = _reassigned, Retried = _retried, DuplicatesIgnored = _duplicates,
        };
    }

    /// <summary>Resume: re-tell recorded trials (state = seed + told sequence) and queue the ones that were running.</summary>
    private void LoadStore()
    {
        var recorded = sink.Load(options.StudyId);
        if (!options.Resume && (recorded.Count > 0 || sink.LoadUnfinished(options.StudyId).Count > 0))
            throw new NasInputException($"Study '{options.StudyId}' already has trials in the store; pass --resume to continue it or choose another --study.");
        if (!options.Resume) return;
        IEnumerable<TrialRecord> tellOrder = options.Order == TellOrder.Deterministic ? recorded.OrderBy(r => r.TrialId) : recorded;
        foreach (var rec in tellOrder)
        {
            _finished[rec.TrialId] = rec;
            _recordOrder.Add(rec);
            _nextId = Math.Max(_nextId, rec.TrialId + 1);
            if (options.Order == TellOrder.Arrival) strategy.Tell(space.Parse(rec.Architecture), rec.Result);
            _resumed++;
        }
        foreach (var d in sink.LoadUnfinished(options.StudyId))
        {
            // Same trial id, same attempt number, same worker if it is still alive: that worker reattaches to its result.
            var t = new Trial(d.TrialId, space.Parse(d.Architecture), d.Architecture)
            {
                Attempt = Math.Max(0, d.Attempt - 1),
                PreferredWorker = d.Worker.Length > 0 ? d.Worker : null,
            };
            _pending[t.Id] = t;
            _ready.AddLast(t);
            _nextId = Math.Max(_nextId, d.TrialId + 1);
        }
        // A sink that could not keep every dispatch (or a crash between ask and note) leaves gaps: they are not
        // waited for, and the budget is filled with new trials instead.
        for (long id = 0; id < _nextId; id++)
            if (!_finished.ContainsKey(id) && !_pending.ContainsKey(id)) _missing.Add(id);
        if (options.Order == TellOrder.Deterministic) AdvanceTells();
    }

    private async Task RefreshWorkersAsync(CancellationToken cancel)
    {
        try
        {
            _workers = await pool.GetWorkersAsync(cancel);
            _refreshFailing = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            // One failed listing (a slow management call on a busy cluster) must not cancel every running attempt:
            // keep the last known workers, and give up only when the cluster stays unreachable.
            _refreshFailing ??= Stopwatch.StartNew();
            if (_refreshFailing.Elapsed > options.NoWorkersTimeout)
                throw new InvalidOperationException($"The worker list could not be read for {options.NoWorkersTimeout.TotalSeconds:0} s: {e.Message}", e);
            return;
        }
        var alive = _workers.Select(w => w.WorkerId).ToHashSet();
        // Attempts on workers that left the cluster are lost: cancel them now instead of waiting for the timeout.
        foreach (var r in _running.Values.Where(r => !alive.Contains(r.Worker)).ToList()) r.Cts.Cancel();
    }

    private void Dispatch(CancellationToken cancel)
    {
        while (true)
        {
            var free = FreeWorkers();
            if (free.Count == 0) return;
            int limit = options.Parallelism > 0 ? options.Parallelism : free.Sum(f => f.Free) + _running.Count;
            if (_running.Count >= limit) return;
            var trial = NextTrial();
            if (trial is null) return;
            var worker = free.FirstOrDefault(f => f.Id == trial.PreferredWorker).Id
                         ?? free.Where(f => f.Id != trial.LastWorker).Select(f => f.Id).FirstOrDefault()
                         ?? free[0].Id;
            Start(trial, worker, cancel);
        }
    }

    /// <summary>Workers not suspected of dying, with free slots, most free first (ties by id, so runs are reproducible).</summary>
    private List<(string Id, int Free)> FreeWorkers()
    {
        var now = DateTime.UtcNow;
        var busy = _running.Values.GroupBy(r => r.Worker).ToDictionary(g => g.Key, g => g.Count());
        return _workers
            .Where(w => !_broken.ContainsKey(w.WorkerId))
            .Where(w => !_suspectUntil.TryGetValue(w.WorkerId, out var until) || until < now)
            .Select(w => (Id: w.WorkerId, Free: w.Slots - busy.GetValueOrDefault(w.WorkerId)))
            .Where(w => w.Free > 0)
            .OrderByDescending(w => w.Free).ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList();
    }

    private Trial? NextTrial()
    {
        if (options.Order == TellOrder.Deterministic) EnsureAsked();
        else if (_ready.First is null && _finished.Count + _pending.Count < options.Budget) AskInto();
        if (_ready.First is not { } first) return null;
        _ready.RemoveFirst();
        return first.Value;
    }

    /// <summary>Asks the strategy for trial <c>_nextId</c> and queues it (noted in the sink so a restart cannot lose the id).</summary>
    private void AskInto()
    {
        var arch = strategy.Ask();
        var t = new Trial(_nextId++, arch, space.Format(arch));
        sink.NoteDispatched(options.StudyId, new DispatchedTrial(t.Id, t.Text, 0, ""));
        _pending[t.Id] = t;
        _ready.AddLast(t);
    }

    /// <summary>
    /// Deterministic order: trial k is asked when exactly max(0, k-W) trials have been told, so the asked sequence
    /// depends on the seed, W and the results only — never on which worker finished first.
    /// </summary>
    private void EnsureAsked()
    {
        while (_finished.Count + _pending.Count < options.Budget && _nextId < _toldUpTo + options.Parallelism) AskInto();
    }

    private void Start(Trial trial, string worker, CancellationToken cancel)
    {
        trial.Attempt++;
        trial.LastWorker = worker;
        trial.PreferredWorker = null;
        sink.NoteDispatched(options.StudyId, new DispatchedTrial(trial.Id, trial.Text, trial.Attempt, worker));
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        cts.CancelAfter(options.TrialTimeout);
        var run = new Running(trial, trial.Attempt, worker, cts, Stopwatch.StartNew());
        _running[trial.Id] = run;
        var request = new TrialRequest(options.StudyId, trial.Id, trial.Attempt, options.Space, options.Dataset, trial.Text);
        _ = Task.Run(async () =>
        {
            var call = Task.Run(() => pool.EvaluateAsync(worker, request, cts.Token), CancellationToken.None);
            try { _outcomes.Writer.TryWrite(new Outcome(run, await call.WaitAsync(cts.Token), null)); }
            catch (Exception e)
            {
                _outcomes.Writer.TryWrite(new Outcome(run, null, e));
                // The timeout does not rely on the worker honouring cancellation; if it still answers, that late
                // result is delivered too and the coordinator keeps the first good result of the trial.
                _ = call.ContinueWith(t => _outcomes.Writer.TryWrite(new Outcome(run, t.Result, null)),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }, CancellationToken.None);
    }

    private void Handle(Outcome o, CancellationToken cancel)
    {
        var trial = o.Run.Trial;
        bool current = _running.TryGetValue(trial.Id, out var live) && ReferenceEquals(live, o.Run);
        if (trial.Done || !current)
        {
            // A late result of an attempt we already gave up on: first good result wins, anything else is dropped.
            if (!trial.Done && o.Result is { } late && IsGood(late))
            {
                if (live is not null) { live.Cts.Cancel(); _running.Remove(trial.Id); }
                _ready.Remove(trial);
                Finish(trial, late, o.Run.Worker);
            }
            else _duplicates++;
            return;
        }
        _running.Remove(trial.Id);
        o.Run.Cts.Dispose();
        if (o.Error is WorkerSetupException setup)
        {
            // Not the trial's fault and not transient: this worker gets no more trials; the trial goes to another one.
            _broken[o.Run.Worker] = setup.Message;
            _ready.AddFirst(trial);
            ThrowIfEveryWorkerIsBroken();
            return;
        }
        if (o.Error is not null)
        {
            cancel.ThrowIfCancellationRequested();
            trial.Lost++;
            _suspectUntil[o.Run.Worker] = DateTime.UtcNow + options.SuspectFor;
            string why = o.Error is OperationCanceledException
                ? $"attempt {o.Run.Attempt} on {o.Run.Worker} gave no result within {o.Run.Clock.Elapsed.TotalSeconds:0.#} s (worker gone or timed out)"
                : $"worker {o.Run.Worker} unreachable: {o.Error.GetType().Name}: {o.Error.Message}";
            trial.LastError = why;
            if (trial.Lost >= options.MaxLostAttempts) Finish(trial, FailedResult($"lost {trial.Lost} times; last: {why}", o.Run), o.Run.Worker);
            else { _reassigned++; _ready.AddFirst(trial); }
            return;
        }
        var result = o.Result!;
        if (IsGood(result)) { Finish(trial, result, o.Run.Worker); return; }
        trial.Errors++;
        trial.LastError = result.Error ?? $"non-finite score {result.Score}";
        if (trial.Errors >= options.MaxAttempts)
            Finish(trial, FailedResult($"failed {trial.Errors} attempts; last error: {trial.LastError}", o.Run, result.CostSeconds), o.Run.Worker);
        else { _retried++; _ready.AddFirst(trial); }
    }

    /// <summary>Fails the study in seconds when no live worker can evaluate anything, instead of re-queuing for minutes.</summary>
    private void ThrowIfEveryWorkerIsBroken()
    {
        if (_broken.Count == 0 || _workers.Count == 0 || !_workers.All(w => _broken.ContainsKey(w.WorkerId))) return;
        var (worker, why) = _broken.First(b => _workers.Any(w => w.WorkerId == b.Key));
        throw new NasInputException($"No worker can evaluate study '{options.StudyId}': worker {worker} {why}. Fix that worker (e.g. its --data-dir or $NASSHARP_DATA) and restart it; recorded trials are kept (--resume).");
    }

    private static bool IsGood(TrialResult r) => !r.Failed && double.IsFinite(r.Score);

    private static TrialResult FailedResult(string error, Running run, double? cost = null) =>
        new(double.NaN, new Dictionary<string, double?>(), cost ?? run.Clock.Elapsed.TotalSeconds, error);

    private void Finish(Trial trial, TrialResult result, string worker)
    {
        trial.Done = true;
        _pending.Remove(trial.Id);
        var record = new TrialRecord(trial.Id, trial.Text, result, trial.Attempt, worker);
        if (!sink.TryRecord(options.StudyId, record)) _duplicates++;
        _finished[trial.Id] = record;
        _recordOrder.Add(record);
        if (options.Order == TellOrder.Arrival) strategy.Tell(trial.Arch, result);
        else AdvanceTells();
    }

    private void AdvanceTells()
    {
        while (true)
        {
            EnsureAsked();
            if (_missing.Contains(_toldUpTo)) { _toldUpTo++; continue; }
            if (!_finished.TryGetValue(_toldUpTo, out var rec)) return;
            strategy.Tell(space.Parse(rec.Architecture), rec.Result);
            _toldUpTo++;
        }
    }

    private void Report() =>
        options.Progress?.Report(new ProgressInfo(_finished.Count, options.Budget,
            $"{_running.Count} running on {_workers.Count} workers"));
}
