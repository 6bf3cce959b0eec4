using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Recording;
using NasSharp.Search;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

public sealed class StudyCoordinatorTests
{
    private static readonly Nb201Space Space = Nb201Space.Instance;

    private static StudyOptions Options(int budget, int parallel = 0, TellOrder order = TellOrder.Arrival) =>
        new("study", "nb201", "cifar10", budget)
        {
            Parallelism = parallel, Order = order, WorkerRefresh = TimeSpan.FromMilliseconds(50),
            TrialTimeout = TimeSpan.FromSeconds(20), SuspectFor = TimeSpan.FromMilliseconds(300),
        };

    private static Task<StudyReport> Run(ISearchStrategy s, IWorkerPool pool, ITrialSink sink, StudyOptions o, CancellationToken cancel = default) =>
        new StudyCoordinator(s, Space, pool, sink, o).RunAsync(cancel);

    private static void AssertExactlyOnce(ITrialSink sink, int budget)
    {
        var rows = sink.Load("study");
        Assert.Equal(Enumerable.Range(0, budget).Select(i => (long)i), rows.Select(r => r.TrialId).Order());
    }

    [Fact]
    public async Task Every_trial_is_recorded_and_told_exactly_once_and_all_slots_are_used()
    {
        var eval = new FakeEvaluator(a => TimeSpan.FromMilliseconds(FakeScore.Of(a) % 7 * 3));
        var strategy = new HillClimbStrategy(1);
        var sink = new InMemoryTrialSink();
        var report = await Run(strategy, new InProcessWorkerPool(eval, 3), sink, Options(30));
        AssertExactlyOnce(sink, 30);
        Assert.Equal(30, strategy.Told.Count);
        Assert.Equal(30, eval.Calls.Count);
        Assert.Equal(3, eval.MaxConcurrent);
        // Scores are the evaluator's, untouched.
        Assert.All(report.Trials, t => Assert.Equal(FakeScore.Of(t.Architecture), t.Result.Score));
    }

    [Fact]
    public async Task A_slow_trial_does_not_hold_back_the_others()
    {
        var archs = Enumerable.Range(0, 20).Select(i => Nb201Index(i * 101)).ToList();
        string slow = Space.Format(archs[0]);
        var eval = new FakeEvaluator(a => a == slow ? TimeSpan.FromMilliseconds(800) : TimeSpan.FromMilliseconds(10));
        var report = await Run(new ListStrategy(archs), new InProcessWorkerPool(eval, 2), new InMemoryTrialSink(), Options(20));
        // No generation barrier: the other slot finished many trials while trial 0 was running.
        int position = report.Trials.ToList().FindIndex(t => t.TrialId == 0);
        Assert.True(position >= 10, $"trial 0 was recorded at position {position}");
    }

    [Fact]
    public async Task Trials_of_a_worker_that_dies_are_reassigned_and_the_result_set_matches_a_fault_free_run()
    {
        const int budget = 24;
        var clean = new InMemoryTrialSink();
        await Run(new HillClimbStrategy(7), new ScriptedPool(("a", 2), ("b", 2)), clean, Options(budget, 4, TellOrder.Deterministic));

        var pool = new ScriptedPool(("a", 2), ("b", 2));
        pool.DieAfterCalls["b"] = 3; // b hangs from its 4th attempt on, then leaves the cluster
        var faulty = new InMemoryTrialSink();
        var study = Run(new HillClimbStrategy(7), pool, faulty, Options(budget, 4, TellOrder.Deterministic));
        while (!study.IsCompleted && pool.Calls.Count(c => c.Worker == "b") <= 3) await Task.Delay(10);
        await Task.Delay(100);
        pool.Vanish("b");
        var report = await study;

        AssertExactlyOnce(faulty, budget);
        Assert.True(report.Reassigned >= 1, "no attempt was re-assigned");
        Assert.Equal(Set(clean), Set(faulty));
    }

    [Fact]
    public async Task A_hung_worker_times_out_and_its_late_result_is_dropped()
    {
        var pool = new ScriptedPool(("a", 1), ("b", 1)) { LateAnswer = TimeSpan.FromMilliseconds(700) };
        pool.DieAfterCalls["b"] = 1; // b stays listed but answers only after 700 ms, ignoring cancellation
        var sink = new InMemoryTrialSink();
        var options = Options(10) with { TrialTimeout = TimeSpan.FromMilliseconds(200) };
        var report = await Run(new HillClimbStrategy(3), pool, sink, options);
        await Task.Delay(800); // let late answers arrive after the study ended: nothing may change
        AssertExactlyOnce(sink, 10);
        Assert.True(report.Reassigned >= 1);
        Assert.All(sink.Load("study"), r => Assert.Equal(FakeScore.Of(r.Architecture), r.Result.Score));
    }

    [Fact]
    public async Task A_poison_trial_is_retried_a_bounded_number_of_times_then_recorded_failed()
    {
        var archs = Enumerable.Range(0, 12).Select(i => Nb201Index(i * 37)).ToList();
        string poison = Space.Format(archs[3]);
        var eval = new FakeEvaluator(overrideResult: a => a == poison ? throw new InvalidOperationException("CUDA exploded") : null);
        var sink = new InMemoryTrialSink();
        var strategy = new ListStrategy(archs);
        var report = await Run(strategy, new InProcessWorkerPool(eval, 2), sink, Options(12) with { MaxAttempts = 3 });

        AssertExactlyOnce(sink, 12);
        Assert.Equal(3, eval.Calls.Count(c => c == poison));
        var failed = Assert.Single(report.Trials, t => t.Result.Failed);
        Assert.Equal(3, failed.TrialId);
        Assert.Equal(3, failed.Attempts);
        Assert.Contains("CUDA exploded", failed.Result.Error);
        Assert.Equal(2, report.Retried);
        Assert.Equal(11, report.Trials.Count(t => !t.Result.Failed)); // the study went on
        Assert.Equal(12, strategy.Told.Count);                          // failures are told too
    }

    [Fact]
    public async Task A_NaN_score_counts_as_a_failed_attempt()
    {
        var archs = Enumerable.Range(0, 6).Select(i => Nb201Index(i * 11)).ToList();
        string nan = Space.Format(archs[1]);
        var eval = new FakeEvaluator(overrideResult: a => a == nan ? new TrialResult(double.NaN, new Dictionary<string, double?>(), 0) : null);
        var report = await Run(new ListStrategy(archs), new InProcessWorkerPool(eval, 1), new InMemoryTrialSink(), Options(6) with { MaxAttempts = 2 });
        var failed = Assert.Single(report.Trials, t => t.Result.Failed);
        Assert.Equal(1, failed.TrialId);
        Assert.Contains("non-finite", failed.Result.Error);
        Assert.True(double.IsNaN(failed.Result.Score));
        Assert.Equal(2, eval.Calls.Count(c => c == nan));
    }

    [Fact]
    public async Task Resume_retells_recorded_trials_requeues_unfinished_ones_and_finishes_the_budget()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nassharp-resume-{Guid.NewGuid():N}.db");
        try
        {
            const int budget = 20;
            using var store = new SqliteTrialStore(path);
            using var stop = new CancellationTokenSource();
            var first = new HillClimbStrategy(5);
            var progress = new SyncProgress(p => { if (p.Done >= 8) stop.Cancel(); });
            var eval = new FakeEvaluator(_ => TimeSpan.FromMilliseconds(20));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Run(first, new InProcessWorkerPool(eval, 3), store, Options(budget) with { Progress = progress }, stop.Token));
            var before = store.Load("study");
            Assert.InRange(before.Count, 8, budget - 1);
            Assert.NotEmpty(store.LoadUnfinished("study")); // the coordinator died with trials in flight

            var second = new HillClimbStrategy(5);
            var report = await Run(second, new InProcessWorkerPool(eval, 3), store, Options(budget) with { Resume = true });
            Assert.Equal(before.Count, report.Resumed);
            // The new strategy was first re-told exactly the recorded trials, in recorded order.
            Assert.Equal(before.Select(r => r.Architecture), second.Told.Take(before.Count).Select(t => Space.Format(t.Arch)));
            AssertExactlyOnce(store, budget);
            var after = store.Load("study");
            Assert.Equal(before.Select(Key), after.Take(before.Count).Select(Key)); // nothing recorded before the restart changed
            Assert.Empty(store.LoadUnfinished("study"));
        }
        finally { foreach (var f in new[] { path, path + "-wal", path + "-shm" }) if (File.Exists(f)) File.Delete(f); }
    }

    [Fact]
    public async Task Starting_a_study_that_has_trials_without_resume_is_refused()
    {
        var sink = new InMemoryTrialSink();
        await Run(new HillClimbStrategy(1), new InProcessWorkerPool(new FakeEvaluator(), 1), sink, Options(3));
        await Assert.ThrowsAsync<NasInputException>(() => Run(new HillClimbStrategy(1), new InProcessWorkerPool(new FakeEvaluator(), 1), sink, Options(3)));
    }

    private static (long, string, double, string?) Key(TrialRecord r) => (r.TrialId, r.Architecture, r.Result.Score, r.Result.Error);

    private static HashSet<(long, string, double)> Set(ITrialSink sink) =>
        sink.Load("study").Select(r => (r.TrialId, r.Architecture, r.Result.Score)).ToHashSet();

    private static NasSharp.Spaces.Architecture Nb201Index(int i) => Nb201Space.FromOpIndices(Digits(i));

    private static int[] Digits(int i)
    {
        var d = new int[6];
        for (int k = 5; k >= 0; k--) { d[k] = i % 5; i /= 5; }
        return d;
    }

    private sealed class SyncProgress(Action<ProgressInfo> report) : IProgress<ProgressInfo>
    {
        public void Report(ProgressInfo value) => report(value);
    }
}

/// <summary>A worker that cannot build its evaluator (e.g. its tables are missing) must not make a study retry for minutes.</summary>
public sealed class BrokenWorkerTests
{
    private static StudyOptions Options(int budget) => new("study", "nb201", "cifar10", budget)
    {
        WorkerRefresh = TimeSpan.FromMilliseconds(50), SuspectFor = TimeSpan.FromSeconds(10), TrialTimeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task When_every_worker_cannot_build_its_evaluator_the_study_fails_at_once_with_the_reason()
    {
        var pool = new ScriptedPool(("a", 1), ("b", 1)) { Broken = ["a", "b"] };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = new StudyCoordinator(new HillClimbStrategy(3), Nb201Space.Instance, pool, new InMemoryTrialSink(), Options(8)).RunAsync();
        var e = await Assert.ThrowsAsync<NasInputException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("NAS-Bench-201 table not found", e.Message);
        Assert.Contains("No worker can evaluate", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_broken_worker_gets_no_more_trials_and_the_others_finish_the_study()
    {
        var pool = new ScriptedPool(("a", 1), ("b", 1)) { Broken = ["a"] };
        var sink = new InMemoryTrialSink();
        var report = await new StudyCoordinator(new HillClimbStrategy(4), Nb201Space.Instance, pool, sink, Options(10)).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), sink.Load("study").Select(r => r.TrialId).Order());
        Assert.All(report.Trials, t => Assert.Equal("b", t.Worker));
        Assert.Equal(0, report.Failed);
        Assert.True(pool.Calls.Count(c => c.Worker == "a") <= 1, "the broken worker was sent more than one trial");
    }
}
