using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Orleans;
using NasSharp.Distributed.Recording;
using NasSharp.Distributed.Security;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed;

/// <summary>
/// How `nas search --cluster` runs a study on a worker cluster (everything but the strategy and the request).
/// <paramref name="Secret"/> is the cluster's shared secret (<see cref="ClusterSecret.None"/> only for an --insecure cluster).
/// </summary>
public sealed record ClusterRunOptions(string Cluster, ClusterSecret Secret)
{
    public string ClusterId { get; init; } = "nassharp";
    /// <summary>Study name in the store; null = "{strategy}-{space}-{dataset}-seed{seed}".</summary>
    public string? StudyId { get; init; }
    /// <summary>SQLite run store; null = keep trials in memory (no resume).</summary>
    public string? StorePath { get; init; }
    /// <summary>Or any other sink (e.g. the search run store); wins over <see cref="StorePath"/>.</summary>
    public ITrialSink? Sink { get; init; }
    public bool Resume { get; init; }
    public int Parallelism { get; init; }
    public TellOrder Order { get; init; } = TellOrder.Arrival;
    public int MaxAttempts { get; init; } = 3;
    public int MaxLostAttempts { get; init; } = 5;
    public TimeSpan TrialTimeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The entry point for running a search on a cluster: the same strategy and <see cref="SearchRequest"/> as an
/// in-process search, the evaluations on Orleans worker silos, the same <see cref="SearchOutcome"/> back.
/// </summary>
public static class ClusterSearch
{
    public static SearchOutcome Run(ISearchStrategy strategy, SearchRequest request, ClusterRunOptions options) =>
        RunAsync(strategy, request, options).GetAwaiter().GetResult();

    public static async Task<SearchOutcome> RunAsync(ISearchStrategy strategy, SearchRequest request, ClusterRunOptions options)
    {
        var spec = ClusterSpec.Parse(options.Cluster, options.ClusterId);
        var study = StudyOptionsFor(strategy, request, options);
        SqliteTrialStore? store = options.Sink is null && options.StorePath is not null ? new SqliteTrialStore(options.StorePath) : null;
        try
        {
            ITrialSink sink = options.Sink ?? store ?? (ITrialSink)new InMemoryTrialSink();
            await using var connection = await ClusterConnection.ConnectAsync(spec, options.Secret, options.ConnectTimeout, request.Cancel);
            var pool = new OrleansWorkerPool(connection.Client);
            var report = await new StudyCoordinator(strategy, request.Space, pool, sink, study).RunAsync(request.Cancel);
            return ToOutcome(report, request.Space, new Dictionary<string, object?> { ["cluster"] = spec.ToString(), ["strategy"] = strategy.Name, ["seed"] = request.Seed });
        }
        finally { store?.Dispose(); }
    }

    public static StudyOptions StudyOptionsFor(ISearchStrategy strategy, SearchRequest request, ClusterRunOptions options) =>
        new(options.StudyId ?? $"{strategy.Name}-{request.Space.Name}-{request.Dataset}-seed{request.Seed}", request.Space.Name, request.Dataset, request.Budget)
        {
            Parallelism = options.Parallelism,
            Order = options.Order,
            MaxAttempts = options.MaxAttempts,
            MaxLostAttempts = options.MaxLostAttempts,
            TrialTimeout = options.TrialTimeout,
            Resume = options.Resume,
            Progress = request.Progress,
        };

    /// <summary>The best successful trial, the best-so-far trajectory in recorded order, and the fault statistics.</summary>
    public static SearchOutcome ToOutcome(StudyReport report, ISearchSpace space, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var good = report.Trials.Where(t => !t.Result.Failed).ToList();
        if (good.Count == 0)
            throw new InvalidOperationException($"Study '{report.StudyId}': all {report.Trials.Count} trials failed; first error: {report.Trials.FirstOrDefault()?.Result.Error}");
        var best = good.MaxBy(t => t.Result.Score)!;
        var trajectory = new List<double>();
        double bestSoFar = double.NegativeInfinity;
        foreach (var t in report.Trials)
        {
            if (!t.Result.Failed) bestSoFar = Math.Max(bestSoFar, t.Result.Score);
            trajectory.Add(bestSoFar);
        }
        var details = new Dictionary<string, object?>
        {
            ["study"] = report.StudyId,
            ["best_trial_id"] = best.TrialId,
            ["failed_trials"] = report.Failed,
            ["reassigned_attempts"] = report.Reassigned,
            ["retried_attempts"] = report.Retried,
            ["duplicate_results_ignored"] = report.DuplicatesIgnored,
            ["resumed_trials"] = report.Resumed,
            ["trials_per_second"] = report.Trials.Count / Math.Max(1e-9, report.Wall.TotalSeconds),
        };
        foreach (var (k, v) in best.Result.Metrics) details[$"best_{k}"] = v;
        if (extra is not null) foreach (var (k, v) in extra) details[k] = v;
        return new SearchOutcome(space.Parse(best.Architecture), best.Result.Score, report.Trials.Count, report.Wall)
        {
            Trajectory = trajectory,
            Details = details,
        };
    }
}
