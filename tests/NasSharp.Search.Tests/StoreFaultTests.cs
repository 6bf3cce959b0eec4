using Microsoft.Data.Sqlite;
using NasSharp.Search.Running;
using NasSharp.Search.Store;
using NasSharp.Search.Strategies;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.Tests.Shared;

namespace NasSharp.Search.Tests;

/// <summary>The fault paths of issue 7 not covered by <see cref="ResumeTests"/>: locked store, two writers, NaN scores, pacing.</summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly TempStoreDirectory _dir = new("nassharp-faults-");

    public void Dispose() => _dir.Dispose();

    private static SearchRequest Request(int budget, Dictionary<string, string> options) =>
        new(Nb201Space.Instance, "cifar10", 3, budget, TestData.Directory) { Options = options };

    [Fact]
    public void LockedStore_IsAnInputErrorNamingTheFile_AndLeavesItIntact()
    {
        var path = _dir.File("locked.db");
        new AskTellProcedure(StrategyCatalog.Get("random")).Execute(Request(5, new() { ["store"] = path, ["study"] = "a" }));
        using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            holder.Open();
            using (var cmd = holder.CreateCommand()) { cmd.CommandText = "BEGIN EXCLUSIVE"; cmd.ExecuteNonQuery(); }
            var ex = Assert.Throws<NasInputException>(() => RunStore.Open(path, busyTimeoutMs: 200));
            Assert.Contains("locked", ex.Message);
            Assert.Contains("locked.db", ex.Message);
        }
        using var s = RunStore.Open(path);
        Assert.Equal(5, s.Trials("a").Count);
    }

    [Fact]
    public void SecondWriterOfTheSameStudy_GetsAClearError_AndTheFirstWritersTrialsStay()
    {
        var path = _dir.File("two.db");
        var study = new StudyRecord("s", "nb201", "random", "cifar10", 0, 3, "fake", "{}");
        var trial = new TrialRecord(1, "a", "h", new TrialResult(1, new Dictionary<string, double?>(), 0), 0);
        using var first = RunStore.Open(path);
        first.CreateStudy(study);
        first.AppendTrial("s", trial);
        using var second = RunStore.Open(path);
        var ex = Assert.Throws<NasInputException>(() => second.AppendTrial("s", trial with { Arch = "b" }));
        Assert.Contains("two runs of the same study", ex.Message);
        Assert.Equal("a", Assert.Single(first.Trials("s")).Arch);
    }

    [Fact]
    public void NonFiniteScores_BecomeFailedTrials_StoredWithTheReason_AndNeverTheIncumbent()
    {
        var path = _dir.File("nan.db");
        SearchEvaluators.Register("nan-every-3rd", (req, _) => new NaNEvery3rd(SearchEvaluators.Benchmark(req)));
        var run = new AskTellProcedure(StrategyCatalog.Get("re")).Execute(Request(12, new() { ["store"] = path, ["study"] = "n", ["evaluator"] = "nan-every-3rd" }));
        Assert.Equal(4, run.Outcome.Details["failed_trials"]);
        Assert.Contains("non-finite score", (string)run.Outcome.Details["first_error"]!);
        Assert.True(double.IsFinite(run.Outcome.BestScore));
        using var s = RunStore.Open(path);
        var stored = s.Trials("n");
        Assert.All(stored.Where(t => t.Number % 3 == 0), t => Assert.Contains("non-finite score (NaN)", t.Result.Error));
        Assert.All(stored.Where(t => t.Number % 3 != 0), t => Assert.Null(t.Result.Error));
    }

    [Fact]
    public void AllScoresNaN_IsAClearError()
    {
        SearchEvaluators.Register("all-nan", (req, _) => new NaNEvery3rd(SearchEvaluators.Benchmark(req), every: 1));
        var ex = Assert.Throws<NasInputException>(() => new AskTellProcedure(StrategyCatalog.Get("random")).Execute(Request(4, new() { ["evaluator"] = "all-nan" })));
        Assert.Contains("All 4 evaluations failed", ex.Message);
        Assert.Contains("non-finite score", ex.Message);
    }

    [Fact]
    public void DelayOption_PacesTheRun_WithoutChangingWhatTheStudyIs()
    {
        var path = _dir.File("pace.db");
        var procedure = new AskTellProcedure(StrategyCatalog.Get("ls"));
        var paced = procedure.Execute(Request(6, new() { ["store"] = path, ["study"] = "p", ["delay_ms"] = "1" }));
        // Resuming without the delay (or with another) is the same study; the results equal an unpaced run.
        var resumed = procedure.Execute(Request(9, new() { ["store"] = path, ["study"] = "p", ["resume"] = "true" }));
        var plain = procedure.Execute(Request(9, new()));
        Assert.Equal(plain.Trials.Select(t => t.Arch), resumed.Trials.Select(t => t.Arch));
        Assert.Equal(paced.Trials.Select(t => t.Arch), plain.Trials.Take(6).Select(t => t.Arch));
        Assert.Throws<NasInputException>(() => procedure.Execute(Request(3, new() { ["delay_ms"] = "-5" })));
    }

    private sealed class NaNEvery3rd(IEvaluator inner, int every = 3) : IEvaluator
    {
        private int _calls;
        public string Name => "nan-every-" + every;

        public async Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
        {
            var r = await inner.EvaluateAsync(arch, cancel);
            return ++_calls % every == 0 ? r with { Score = double.NaN } : r;
        }
    }
}
