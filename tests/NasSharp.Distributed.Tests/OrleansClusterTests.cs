using Microsoft.Extensions.Hosting;
using NasSharp.Benchmarks;
using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Evaluators;
using NasSharp.Distributed.Orleans;
using NasSharp.Distributed.Recording;
using NasSharp.Distributed.Security;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

/// <summary>Two worker silos in this process on 127.0.0.1, a client, and a real study on the benchmark evaluator.</summary>
public sealed class OrleansClusterTests
{
    [Fact]
    public async Task A_study_on_two_silos_uses_both_and_records_table_values_exactly_once()
    {
        var p = Ports.Free(4);
        var spec = ClusterSpec.Parse($"localhost:{p[0]}:{p[1]}", "test-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new WorkerSettings(1, new EvaluatorSettings("benchmark", TestData.Directory) { Delay = TimeSpan.FromMilliseconds(30) });
        var secret = ClusterSecret.Generate(); // with the right secret on every silo and the client, everything works as before
        using var primary = WorkerSilo.Build(spec, new SiloEndpoints(p[0], p[1]), settings, secret);
        using var second = WorkerSilo.Build(spec, new SiloEndpoints(p[2], p[3]), settings, secret);
        await WorkerSilo.StartAsync(primary);
        await WorkerSilo.StartAsync(second);
        try
        {
            await using var connection = await ClusterConnection.ConnectAsync(spec, secret, TimeSpan.FromSeconds(20));
            var pool = new OrleansWorkerPool(connection.Client);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await pool.GetWorkersAsync(default)).Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.Equal(2, (await pool.GetWorkersAsync(default)).Count);

            var sink = new InMemoryTrialSink();
            var options = new StudyOptions("orleans", "nb201", "cifar10", 16) { WorkerRefresh = TimeSpan.FromMilliseconds(200) };
            var report = await new StudyCoordinator(new HillClimbStrategy(11), Nb201Space.Instance, pool, sink, options).RunAsync();

            Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), sink.Load("orleans").Select(r => r.TrialId).Order());
            Assert.Equal(2, report.Trials.Select(t => t.Worker).Distinct().Count());
            // Independent check: every score is the table's validation accuracy for that architecture.
            var bench = BenchmarkTables.Load("nb201", TestData.Directory);
            foreach (var t in report.Trials)
            {
                int row = bench.IndexOf(Nb201Space.Instance.Parse(t.Architecture))!.Value;
                Assert.Equal(bench.Query(row, "cifar10", BenchMetric.ValidAccuracy), t.Result.Score);
            }

            var status = await pool.GetStatusAsync(default);
            Assert.Equal(2, status.Count);
            Assert.All(status, s => Assert.NotNull(s.Info));
            Assert.Equal(16, status.Sum(s => s.Info!.Completed));
            Assert.All(status, s => Assert.Equal("benchmark", s.Info!.Evaluator));
        }
        finally
        {
            await second.StopAsync(TimeSpan.FromSeconds(5));
            await primary.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task A_worker_without_its_tables_fails_the_study_in_seconds_naming_the_missing_table()
    {
        var p = Ports.Free(2);
        var spec = ClusterSpec.Parse($"localhost:{p[0]}:{p[1]}", "test-" + Guid.NewGuid().ToString("N")[..8]);
        string missing = Path.Combine(Path.GetTempPath(), "nassharp-no-data-" + Guid.NewGuid().ToString("N"));
        var settings = new WorkerSettings(1, new EvaluatorSettings("benchmark", missing));
        var secret = ClusterSecret.Generate();
        using var silo = WorkerSilo.Build(spec, new SiloEndpoints(p[0], p[1]), settings, secret);
        await WorkerSilo.StartAsync(silo);
        try
        {
            await using var connection = await ClusterConnection.ConnectAsync(spec, secret, TimeSpan.FromSeconds(20));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var options = new StudyOptions("no-tables", "nb201", "cifar10", 8) { WorkerRefresh = TimeSpan.FromMilliseconds(200) };
            var run = new StudyCoordinator(new HillClimbStrategy(5), Nb201Space.Instance, new OrleansWorkerPool(connection.Client), new InMemoryTrialSink(), options).RunAsync();
            // Before the fix the coordinator re-queued every trial as "lost" for minutes; 60 s bounds a regression.
            var e = await Assert.ThrowsAsync<NasInputException>(() => run.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("NAS-Bench-201 table not found", e.Message);
            Assert.Contains(missing, e.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        }
        finally { await silo.StopAsync(TimeSpan.FromSeconds(5)); }
    }
}
