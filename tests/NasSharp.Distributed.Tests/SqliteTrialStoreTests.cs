using NasSharp.Distributed.Recording;
using NasSharp.Search;

namespace NasSharp.Distributed.Tests;

public sealed class SqliteTrialStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nassharp-store-{Guid.NewGuid():N}.db");

    private static TrialRecord Rec(long id, double score, string? error = null) =>
        new(id, $"arch-{id}", new TrialResult(score, new Dictionary<string, double?> { ["test_accuracy"] = score - 1, ["missing"] = null }, 0.5, error), 1, "w1");

    [Fact]
    public void Recording_the_same_trial_twice_keeps_the_first_row_only()
    {
        using var store = new SqliteTrialStore(_path);
        Assert.True(store.TryRecord("s", Rec(0, 90)));
        Assert.False(store.TryRecord("s", Rec(0, 12))); // re-delivery with a different payload is ignored
        Assert.True(store.TryRecord("other", Rec(0, 50))); // trial ids are per study
        Assert.Equal(1, store.Count("s"));
        var row = Assert.Single(store.Load("s"));
        Assert.Equal(90, row.Result.Score);
        Assert.Equal(89, row.Result.Metrics["test_accuracy"]);
        Assert.Null(row.Result.Metrics["missing"]);
    }

    [Fact]
    public void Load_returns_recording_order_and_failed_trials_keep_their_error()
    {
        using (var store = new SqliteTrialStore(_path))
        {
            store.TryRecord("s", Rec(2, 70));
            store.TryRecord("s", Rec(0, double.NaN, "boom"));
            store.TryRecord("s", Rec(1, 80));
        }
        using var reopened = new SqliteTrialStore(_path); // survives a restart
        var rows = reopened.Load("s");
        Assert.Equal([2L, 0L, 1L], rows.Select(r => r.TrialId));
        Assert.True(rows[1].Result.Failed);
        Assert.Equal("boom", rows[1].Result.Error);
        Assert.True(double.IsNaN(rows[1].Result.Score));
    }

    [Fact]
    public void Unfinished_lists_dispatched_trials_without_a_result()
    {
        using var store = new SqliteTrialStore(_path);
        store.NoteDispatched("s", new DispatchedTrial(0, "a0", 1, "w1"));
        store.NoteDispatched("s", new DispatchedTrial(1, "a1", 1, "w2"));
        store.NoteDispatched("s", new DispatchedTrial(1, "a1", 2, "w1")); // re-assigned: the latest dispatch wins
        store.TryRecord("s", Rec(0, 10));
        var open = Assert.Single(store.LoadUnfinished("s"));
        Assert.Equal(new DispatchedTrial(1, "a1", 2, "w1"), open);
    }

    public void Dispose()
    {
        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" }) if (File.Exists(f)) File.Delete(f);
    }
}
