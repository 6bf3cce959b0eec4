using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Orleans;
using NasSharp.Distributed.Recording;
using NasSharp.Distributed.Security;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed;

/// <summary>One row of the scaling table.</summary>
public sealed record ScalingRow(int Workers, int Trials, double WallSeconds, double TrialsPerSecond, double IdealTrialsPerSecond)
{
    /// <summary>Throughput per worker relative to the 1-worker run (filled in by <see cref="ClusterBench"/>).</summary>
    public double EfficiencyVsOneWorker { get; init; }
    public double EfficiencyVsIdeal => TrialsPerSecond / IdealTrialsPerSecond;
}

/// <summary>
/// Throughput of the engine with 1, 2, 4… local `nas worker` processes on the benchmark evaluator with an artificial
/// training time: for each worker count it starts a fresh localhost cluster, runs one study and stops the cluster.
/// Each throwaway cluster has its own random secret, in a 0600 file that is deleted afterwards.
/// </summary>
public static class ClusterBench
{
    public sealed record Settings(IReadOnlyList<int> WorkerCounts, int Budget, TimeSpan Delay, int Seed, int BasePort)
    {
        public string Space { get; init; } = "nb201";
        public string Dataset { get; init; } = "cifar10";
        public int ThreadsPerWorker { get; init; } = 1;
        public string? DataDirectory { get; init; }
    }

    public static async Task<IReadOnlyList<ScalingRow>> RunAsync(NasCommand nas, Settings s, Func<ISearchStrategy> strategy,
        IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        string secretDir = Path.Combine(Path.GetTempPath(), $"nassharp-bench-{Guid.NewGuid():N}");
        string secretFile = Path.Combine(secretDir, "cluster.secret");
        try
        {
            ClusterSecret.WriteNewFile(secretFile);
            var secret = ClusterSecret.FromFile(secretFile);
            var rows = new List<ScalingRow>();
            foreach (int n in s.WorkerCounts) rows.Add(await MeasureAsync(nas, s, n, secretFile, secret, strategy, progress, cancel));
            double perWorker1 = rows.FirstOrDefault(r => r.Workers == 1) is { } one ? one.TrialsPerSecond : double.NaN;
            return rows.Select(r => r with { EfficiencyVsOneWorker = r.TrialsPerSecond / r.Workers / perWorker1 }).ToList();
        }
        finally { if (Directory.Exists(secretDir)) Directory.Delete(secretDir, recursive: true); }
    }

    private static async Task<ScalingRow> MeasureAsync(NasCommand nas, Settings s, int n, string secretFile, ClusterSecret secret,
        Func<ISearchStrategy> strategy, IProgress<ProgressInfo>? progress, CancellationToken cancel)
    {
        if (n < 1) throw new NasInputException($"--workers: each count must be at least 1 (got {n}).");
        var spec = ClusterSpec.Parse($"localhost:{s.BasePort}:{s.BasePort + 1000}", $"bench-{n}-{Environment.ProcessId}");
        var workers = new List<LocalWorkerProcess>();
        try
        {
            workers.Add(await StartWorker(nas, s, spec, secretFile, 0, cancel));
            workers.AddRange(await Task.WhenAll(Enumerable.Range(1, n - 1).Select(i => StartWorker(nas, s, spec, secretFile, i, cancel))));
            await using var connection = await ClusterConnection.ConnectAsync(spec, secret, TimeSpan.FromSeconds(60), cancel);
            var pool = new OrleansWorkerPool(connection.Client);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await pool.GetWorkersAsync(cancel)).Count < n)
            {
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"only {(await pool.GetWorkersAsync(cancel)).Count} of {n} workers joined the cluster");
                await Task.Delay(200, cancel);
            }
            var options = new StudyOptions($"bench-{n}", s.Space, s.Dataset, s.Budget) { Progress = progress, WorkerRefresh = TimeSpan.FromMilliseconds(500) };
            var report = await new StudyCoordinator(strategy(), SearchSpaces.Get(s.Space), pool, new InMemoryTrialSink(), options).RunAsync(cancel);
            if (report.Failed > 0) throw new InvalidOperationException($"{report.Failed} trials failed: {report.Trials.First(t => t.Result.Failed).Result.Error}");
            double wall = report.Wall.TotalSeconds;
            double ideal = n * s.ThreadsPerWorker / s.Delay.TotalSeconds;
            return new ScalingRow(n, report.Trials.Count, wall, report.Trials.Count / wall, ideal);
        }
        finally
        {
            foreach (var w in Enumerable.Reverse(workers)) w.Dispose();
        }
    }

    private static Task<LocalWorkerProcess> StartWorker(NasCommand nas, Settings s, ClusterSpec spec, string secretFile, int index, CancellationToken cancel)
    {
        var args = new List<string>
        {
            "--cluster", spec.ToString(), "--cluster-id", spec.ClusterId,
            "--silo-port", (spec.PrimarySiloPort + index).ToString(), "--gateway-port", (spec.PrimaryGatewayPort + index).ToString(),
            "--threads", s.ThreadsPerWorker.ToString(), "--delay-ms", ((int)s.Delay.TotalMilliseconds).ToString(),
            "--preload", $"{s.Space}:{s.Dataset}", "--secret-file", secretFile,
        };
        if (s.DataDirectory is not null) { args.Add("--data-dir"); args.Add(s.DataDirectory); }
        return LocalWorkerProcess.StartAsync(nas, args, TimeSpan.FromSeconds(120), cancel);
    }
}
