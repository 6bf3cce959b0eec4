using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Evaluators;
using NasSharp.Distributed.Orleans;
using NasSharp.Distributed.Recording;
using NasSharp.Distributed.Security;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Distributed.Tests;

/// <summary>Real silos in this process on 127.0.0.1, with and without the cluster secret.</summary>
public sealed class ClusterSecurityTests : IAsyncLifetime
{
    private readonly ClusterSecret _secret = ClusterSecret.Generate();
    private int[] _ports = null!;
    private ClusterSpec _spec = null!;
    private IHost _primary = null!;

    private static WorkerSettings Settings => new(1, new EvaluatorSettings("benchmark", TestData.Directory) { Delay = TimeSpan.FromMilliseconds(20) });

    public async Task InitializeAsync()
    {
        _ports = Ports.Free(4);
        _spec = ClusterSpec.Parse($"localhost:{_ports[0]}:{_ports[1]}", "sec-" + Guid.NewGuid().ToString("N")[..8]);
        _primary = WorkerSilo.Build(_spec, new SiloEndpoints(_ports[0], _ports[1]), Settings, _secret);
        await WorkerSilo.StartAsync(_primary);
    }

    public async Task DisposeAsync()
    {
        await _primary.StopAsync(TimeSpan.FromSeconds(5));
        _primary.Dispose();
    }

    [Fact]
    public async Task A_client_with_the_wrong_secret_is_refused_at_once_with_a_clear_error()
    {
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<NasInputException>(() => ClusterConnection.ConnectAsync(_spec, ClusterSecret.Generate(), TimeSpan.FromSeconds(30)));
        Assert.Contains("refused this client", e.Message);
        Assert.Contains("--secret-file", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"a refused client kept retrying for {clock.Elapsed}");
    }

    [Fact]
    public async Task A_client_without_any_secret_cannot_connect()
    {
        var e = await Assert.ThrowsAsync<NasInputException>(() => ClusterConnection.ConnectAsync(_spec, ClusterSecret.None, TimeSpan.FromSeconds(3)));
        Assert.Contains("--secret-file", e.Message);
    }

    [Fact]
    public async Task A_worker_with_the_wrong_secret_cannot_join_and_receives_no_trial()
    {
        using var intruder = WorkerSilo.Build(_spec, new SiloEndpoints(_ports[2], _ports[3]), Settings, ClusterSecret.Generate());
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<NasInputException>(() => WorkerSilo.StartAsync(intruder).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("cannot join the cluster", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");

        await using var connection = await ClusterConnection.ConnectAsync(_spec, _secret, TimeSpan.FromSeconds(20));
        var pool = new OrleansWorkerPool(connection.Client);
        var workers = await pool.GetWorkersAsync(default);
        Assert.Single(workers);
        var options = new StudyOptions("secure", "nb201", "cifar10", 4) { WorkerRefresh = TimeSpan.FromMilliseconds(200) };
        var report = await new StudyCoordinator(new HillClimbStrategy(2), Nb201Space.Instance, pool, new InMemoryTrialSink(), options).RunAsync();
        Assert.All(report.Trials, t => Assert.Equal(workers[0].WorkerId, t.Worker));
        Assert.Equal(0, report.Failed);
    }

    [Fact]
    public async Task A_worker_without_authentication_cannot_join_a_secured_cluster()
    {
        using var intruder = WorkerSilo.Build(_spec, new SiloEndpoints(_ports[2], _ports[3]), Settings, ClusterSecret.None);
        var start = WorkerSilo.StartAsync(intruder);
        await using var connection = await ClusterConnection.ConnectAsync(_spec, _secret, TimeSpan.FromSeconds(20));
        var pool = new OrleansWorkerPool(connection.Client);
        // However long it keeps trying, it never becomes a worker of the cluster.
        for (int i = 0; i < 10; i++)
        {
            Assert.Single(await pool.GetWorkersAsync(default));
            await Task.Delay(300);
        }
        try { await intruder.StopAsync(TimeSpan.FromSeconds(5)); } catch { }
        try { await start.WaitAsync(TimeSpan.FromSeconds(10)); } catch { }
    }
}
