using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Orleans;
using NasSharp.Distributed.Recording;
using NasSharp.Distributed.Security;
using NasSharp.Search;
using NasSharp.Search.Strategies;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

/// <summary>
/// Three `nas worker` processes on 127.0.0.1 (needs src/NasSharp.Cli built, or $NASSHARP_CLI = path of nas.dll).
/// Slow: starting three .NET processes and loading the NB201 table in each takes tens of seconds on a busy machine.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MultiProcessClusterTests : IAsyncLifetime
{
    private const int Budget = 30, Window = 3;
    private readonly List<LocalWorkerProcess> _workers = new();
    private ClusterSpec _spec = null!;
    private int[] _ports = null!;
    private readonly string _secretDir = Directory.CreateTempSubdirectory("nassharp-mp-secret-").FullName;
    private string SecretFile => Path.Combine(_secretDir, "cluster.secret");

    public async Task InitializeAsync()
    {
        ClusterSecret.WriteNewFile(SecretFile);
        _ports = Ports.Free(6);
        _spec = ClusterSpec.Parse($"localhost:{_ports[0]}:{_ports[1]}", "mp-" + Guid.NewGuid().ToString("N")[..8]);
        var nas = NasCommand.FromDll(NasDll());
        _workers.Add(await Start(nas, 0));
        _workers.AddRange(await Task.WhenAll(Start(nas, 1), Start(nas, 2)));
    }

    private Task<LocalWorkerProcess> Start(NasCommand nas, int i) => LocalWorkerProcess.StartAsync(nas,
    [
        "--cluster", _spec.ToString(), "--cluster-id", _spec.ClusterId, "--silo-port", _ports[2 * i].ToString(),
        "--gateway-port", _ports[2 * i + 1].ToString(), "--threads", "1", "--delay-ms", "100", "--preload", "nb201:cifar10",
        "--data-dir", TestData.Directory, "--secret-file", SecretFile,
    ], TimeSpan.FromSeconds(180));

    public Task DisposeAsync()
    {
        foreach (var w in Enumerable.Reverse(_workers)) w.Dispose();
        Directory.Delete(_secretDir, recursive: true);
        return Task.CompletedTask;
    }

    private static ISearchStrategy Evolution() => StrategyCatalog.Get("re").Create(Nb201Space.Instance, 42,
        new Dictionary<string, string> { ["population"] = "8", ["sample"] = "3" });

    private static StudyOptions Study(string id, bool resume = false) => new(id, "nb201", "cifar10", Budget)
    {
        Parallelism = Window, Order = TellOrder.Deterministic, TrialTimeout = TimeSpan.FromSeconds(20),
        WorkerRefresh = TimeSpan.FromMilliseconds(300), Resume = resume,
    };

    private async Task<OrleansWorkerPool> Pool(ClusterConnection c, int expected)
    {
        var pool = new OrleansWorkerPool(c.Client);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await pool.GetWorkersAsync(default)).Count < expected && DateTime.UtcNow < deadline) await Task.Delay(300);
        Assert.Equal(expected, (await pool.GetWorkersAsync(default)).Count);
        return pool;
    }

    [Fact]
    public async Task Killing_a_worker_mid_search_gives_the_same_results_as_an_uninterrupted_run()
    {
        string db = Path.Combine(Path.GetTempPath(), $"nassharp-mp-{Guid.NewGuid():N}.db");
        try
        {
            using var store = new SqliteTrialStore(db);
            await using var connection = await ClusterConnection.ConnectAsync(_spec, ClusterSecret.FromFile(SecretFile), TimeSpan.FromSeconds(60));
            var pool = await Pool(connection, 3);
            await new StudyCoordinator(Evolution(), Nb201Space.Instance, pool, store, Study("clean")).RunAsync();

            // Second run, same seed: kill worker 2 (not the primary, which development clustering needs) while it runs a trial.
            var victim = _workers[2];
            var faulty = new StudyCoordinator(Evolution(), Nb201Space.Instance, pool, store, Study("faulty")).RunAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !faulty.IsCompleted)
            {
                var status = await pool.GetStatusAsync(default);
                if (store.Count("faulty") >= 6 && status.Any(s => s.Info is { ProcessId: var pid, Running.Count: > 0 } && pid == victim.ProcessId)) break;
                await Task.Delay(20);
            }
            victim.Kill();
            var report = await faulty;

            Assert.Equal(Budget, store.Count("faulty"));
            Assert.Equal(Enumerable.Range(0, Budget).Select(i => (long)i), store.Load("faulty").Select(t => t.TrialId).Order());
            Assert.True(report.Reassigned >= 1, "the killed worker's trial was not re-assigned");
            Assert.Equal(Set(store.Load("clean")), Set(store.Load("faulty")));
            Assert.Equal(2, (await pool.GetWorkersAsync(default)).Count); // the dead silo left the membership
        }
        finally { foreach (var f in new[] { db, db + "-wal", db + "-shm" }) if (File.Exists(f)) File.Delete(f); }
    }

    private static HashSet<(long, string, double, string?)> Set(IEnumerable<TrialRecord> rows) =>
        rows.Select(r => (r.TrialId, r.Architecture, r.Result.Score, r.Result.Error)).ToHashSet();

    private static string NasDll()
    {
        var env = Environment.GetEnvironmentVariable("NASSHARP_CLI");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NasSharp.slnx")))
                return Path.Combine(dir.FullName, "src", "NasSharp.Cli", "bin", "Debug", "net10.0", "linux-x64", "nas.dll");
        throw new InvalidOperationException("Repository root not found; set NASSHARP_CLI to the path of nas.dll.");
    }
}
