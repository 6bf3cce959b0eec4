using NasSharp.Distributed.Engine;
using NasSharp.Search;
using Orleans;
using Orleans.Concurrency;

namespace NasSharp.Distributed.Orleans;

/// <summary>A <see cref="TrialResult"/> on the wire (Core has no Orleans dependency, so its record is not serializable).</summary>
[GenerateSerializer, Immutable, Alias("NasSharp.TrialOutcome")]
public sealed record TrialOutcome(
    [property: Id(0)] double Score,
    [property: Id(1)] Dictionary<string, double?> Metrics,
    [property: Id(2)] double CostSeconds,
    [property: Id(3)] string? Error)
{
    /// <summary>Set when the worker could not build its evaluator at all (<see cref="WorkerSetupException"/>): no score, no trial error.</summary>
    [Id(4)] public string? WorkerError { get; init; }

    public static TrialOutcome From(TrialResult r) => new(r.Score, new Dictionary<string, double?>(r.Metrics), r.CostSeconds, r.Error);
    public TrialResult ToResult() => new(Score, Metrics, CostSeconds, Error);
}

/// <summary>A trial a worker is evaluating now.</summary>
[GenerateSerializer, Immutable, Alias("NasSharp.RunningTrial")]
public sealed record RunningTrial(
    [property: Id(0)] string Study,
    [property: Id(1)] long TrialId,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string Architecture,
    [property: Id(4)] DateTime StartedUtc);

/// <summary>What `nas cluster status` shows for one worker silo.</summary>
[GenerateSerializer, Immutable, Alias("NasSharp.WorkerInfo")]
public sealed record WorkerInfo(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string Host,
    [property: Id(2)] int ProcessId,
    [property: Id(3)] int Slots,
    [property: Id(4)] string Evaluator,
    [property: Id(5)] DateTime StartedUtc,
    [property: Id(6)] long Completed,
    [property: Id(7)] long Failed,
    [property: Id(8)] List<RunningTrial> Running,
    [property: Id(9)] double TrialsPerSecondLastMinute,
    [property: Id(10)] long WorkingSetMb,
    [property: Id(11)] long MemoryLimitMb);

/// <summary>
/// The evaluator of one worker silo. Its key is the silo's address (<c>SiloAddress.ToParsableString()</c>) and
/// <see cref="SiloPinnedPlacementAttribute"/> places it on exactly that silo, so the coordinator decides which silo
/// runs which trial (and a restarted silo, with a new address generation, is a new worker).
/// </summary>
[Alias("NasSharp.IEvaluationWorkerGrain")]
public interface IEvaluationWorkerGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("GetInfo")]
    Task<WorkerInfo> GetInfo();

    /// <summary>Runs (or reattaches to) one attempt; evaluation errors come back inside the outcome.</summary>
    [AlwaysInterleave, Alias("Evaluate")]
    Task<TrialOutcome> Evaluate(TrialRequest request, CancellationToken cancel);
}
