using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Recording;
using NasSharp.Search;
using NasSharp.Search.Store;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

/// <summary>The cluster engine recording into the search run store (the file `nas search --store` uses).</summary>
public sealed class RunStoreTrialSinkTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nassharp-runstore-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_cluster_study_lands_in_the_run_store_once_per_trial_and_resumes_from_it()
    {
        using var store = RunStore.Open(_path);
        store.CreateStudy(new StudyRecord("s", "nb201", "hill-climb-test", "cifar10", 3, 12, "fake", "{}"));
        using var sink = new RunStoreTrialSink(store, Nb201Space.Instance);
        var options = new StudyOptions("s", "nb201", "cifar10", 12) { WorkerRefresh = TimeSpan.FromMilliseconds(50) };
        var report = await new StudyCoordinator(new HillClimbStrategy(3), Nb201Space.Instance, new InProcessWorkerPool(new FakeEvaluator(), 2), sink, options).RunAsync();

        var rows = store.Trials("s");
        Assert.Equal(Enumerable.Range(1, 12), rows.Select(r => r.Number));  // the run store's own numbering, in told order
        Assert.Equal(report.Trials.Select(t => t.Architecture), rows.Select(r => r.Arch));
        Assert.All(rows, r => Assert.Equal(FakeScore.Of(r.Arch), r.Result.Score));

        // Re-delivery of a recorded trial id adds nothing.
        var first = report.Trials[0];
        Assert.False(sink.TryRecord("s", first));
        Assert.Equal(12, store.Trials("s").Count);

        // Resume with a larger budget: the 12 are re-told, 4 more are run, ids stay unique.
        var more = new HillClimbStrategy(3);
        var resumed = await new StudyCoordinator(more, Nb201Space.Instance, new InProcessWorkerPool(new FakeEvaluator(), 2), sink,
            options with { Budget = 16, Resume = true }).RunAsync();
        Assert.Equal(12, resumed.Resumed);
        Assert.Equal(16, store.Trials("s").Count);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), sink.Load("s").Select(t => t.TrialId).Order());
    }

    public void Dispose()
    {
        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" }) if (File.Exists(f)) File.Delete(f);
    }
}
