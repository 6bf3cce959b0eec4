using Microsoft.Data.Sqlite;
using NasSharp.Search.Running;
using NasSharp.Search.Store;
using NasSharp.Search.Strategies;
using NasSharp.Spaces.Nb201;
using NasSharp.Tests.Shared;

namespace NasSharp.Search.Tests;

public sealed class ResumeTests : IDisposable
{
    private readonly TempStoreDirectory _dir = new("nassharp-search-");

    public void Dispose() => _dir.Dispose();

    private string StorePath(string name = "runs.db") => _dir.File(name);

    private static SearchRequest Request(int budget, int seed, Dictionary<string, string> options, CancellationToken cancel = default) =>
        new(Nb201Space.Instance, "cifar10", seed, budget, TestData.Directory) { Options = options, Cancel = cancel };

    private static Dictionary<string, string> Options(string strategy, string? store = null, bool resume = false)
    {
        var o = StrategyTests.FastOptions(strategy);
        if (store is not null) { o["store"] = store; o["study"] = "s1"; }
        if (resume) o["resume"] = "true";
        return o;
    }

    [Theory, MemberData(nameof(StrategyTests.Names), MemberType = typeof(StrategyTests))]
    public void KilledMidTrial_ResumesWithoutRedoing_AndEndsLikeAnUninterruptedRun(string name)
    {
        var procedure = new AskTellProcedure(StrategyCatalog.Get(name));
        const int budget = 30, seed = 7;
        var reference = procedure.Execute(Request(budget, seed, Options(name)));

        // Kill while evaluation 17 is running: 16 trials are stored, the 17th is lost with the process.
        var store = StorePath();
        var cts = new CancellationTokenSource();
        SearchEvaluators.Register("killing", (req, _) => new KillingEvaluator(SearchEvaluators.Benchmark(req), 17, cts));
        var killed = Options(name, store);
        killed["evaluator"] = "killing";
        Assert.ThrowsAny<OperationCanceledException>(() => procedure.Execute(Request(budget, seed, killed, cts.Token)));
        using (var s = RunStore.Open(store)) Assert.Equal(16, s.Trials("s1").Count);

        // Resume with the plain evaluator: count how many evaluations really happen.
        int calls = 0;
        SearchEvaluators.Register("counting", (req, _) => new CountingEvaluator(SearchEvaluators.Benchmark(req), () => calls++));
        var resumed = Options(name, store, resume: true);
        resumed["evaluator"] = "killing"; // must match the stored evaluator name; the kill index is past the remaining calls
        cts = new CancellationTokenSource();
        SearchEvaluators.Register("killing", (req, _) => new CountingEvaluator(SearchEvaluators.Benchmark(req), () => calls++));
        var result = procedure.Execute(Request(budget, seed, resumed));

        Assert.Equal(budget - 16, calls);
        Assert.Equal(reference.Trials.Select(t => t.Arch), result.Trials.Select(t => t.Arch));
        Assert.Equal(reference.Trials.Select(t => t.Result.Score), result.Trials.Select(t => t.Result.Score));
        Assert.Equal(procedureFormat(reference), procedureFormat(result));
        using (var s = RunStore.Open(store)) Assert.Equal(budget, s.Trials("s1").Count);

        static string procedureFormat(SearchRun r) => $"{Nb201Space.Instance.Format(r.Outcome.Best)} {r.Outcome.BestScore} {r.Outcome.Evaluations}";
    }

    [Fact]
    public void ExistingStudy_WithoutResume_OrWithOtherOptions_IsRefused_AndKeepsItsTrials()
    {
        var procedure = new AskTellProcedure(StrategyCatalog.Get("re"));
        var store = StorePath();
        procedure.Execute(Request(12, 1, Options("re", store)));
        Assert.Throws<NasInputException>(() => procedure.Execute(Request(12, 1, Options("re", store))));
        var ex = Assert.Throws<NasInputException>(() => procedure.Execute(Request(12, 2, Options("re", store, resume: true))));
        Assert.Contains("seed", ex.Message);
        var other = Options("re", store, resume: true);
        other["population"] = "20";
        Assert.Throws<NasInputException>(() => procedure.Execute(Request(12, 1, other)));
        using var s = RunStore.Open(store);
        Assert.Equal(12, s.Trials("s1").Count);
    }

    [Fact]
    public void Resume_WithALargerBudget_ContinuesTheSameRun()
    {
        var procedure = new AskTellProcedure(StrategyCatalog.Get("ls"));
        var store = StorePath();
        procedure.Execute(Request(15, 4, Options("ls", store)));
        var extended = procedure.Execute(Request(25, 4, Options("ls", store, resume: true)));
        var straight = procedure.Execute(Request(25, 4, Options("ls")));
        Assert.Equal(straight.Trials.Select(t => t.Arch), extended.Trials.Select(t => t.Arch));
    }

    [Fact]
    public void CorruptForeignOrFutureStores_AreInputErrors()
    {
        var garbage = StorePath("garbage.db");
        File.WriteAllText(garbage, "this is not an sqlite database, just text that is long enough to have a header........");
        Assert.Throws<NasDataException>(() => RunStore.Open(garbage));

        var foreign = StorePath("foreign.db");
        using (var c = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers (id INTEGER)";
            cmd.ExecuteNonQuery();
        }
        Assert.Throws<NasDataException>(() => RunStore.Open(foreign));

        var future = StorePath("future.db");
        using (RunStore.Open(future)) { }
        using (var c = new SqliteConnection($"Data Source={future};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE nas_store SET value = '99' WHERE key = 'schema_version'";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<NasDataException>(() => RunStore.Open(future));
        Assert.Contains("schema version 99", ex.Message);
        Assert.Throws<NasInputException>(() => RunStore.Open(Path.Combine(_dir.Root, "no-such-dir", "x.db")));
    }

    [Fact]
    public void Store_RoundTripsTrialsExactly()
    {
        var store = StorePath();
        var run = new AskTellProcedure(StrategyCatalog.Get("random")).Execute(Request(10, 3, Options("random", store)));
        using var s = RunStore.Open(store);
        var back = s.Trials("s1");
        Assert.Equal(run.Trials.Select(t => (t.Arch, t.CanonicalHash, t.Result.Score, t.Result.CostSeconds)),
            back.Select(t => (t.Arch, t.CanonicalHash, t.Result.Score, t.Result.CostSeconds)));
        Assert.Equal(run.Trials[3].Result.Metrics.OrderBy(k => k.Key), back[3].Result.Metrics.OrderBy(k => k.Key));
        var summary = Assert.Single(s.ListStudies());
        Assert.Equal(10, summary.Trials);
        Assert.NotNull(summary.Study.FinishedUtc);
    }
}

public sealed class CountingEvaluator(IEvaluator inner, Action onCall) : IEvaluator
{
    public string Name => inner.Name;
    public Task<TrialResult> EvaluateAsync(NasSharp.Spaces.Architecture arch, CancellationToken cancel = default)
    {
        onCall();
        return inner.EvaluateAsync(arch, cancel);
    }
}
