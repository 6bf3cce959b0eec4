using Orleans;

namespace NasSharp.Distributed.Engine;

/// <summary>
/// One evaluation attempt sent to a worker. The architecture travels in the space's own string form so any process can
/// parse it; (Study, TrialId, Attempt) names the attempt, so a worker asked twice for the same attempt (a coordinator
/// that restarted) reattaches to the running or finished evaluation instead of starting it again.
/// </summary>
[GenerateSerializer, Immutable, Alias("NasSharp.TrialRequest")]
public sealed record TrialRequest(
    [property: Id(0)] string Study,
    [property: Id(1)] long TrialId,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string Space,
    [property: Id(4)] string Dataset,
    [property: Id(5)] string Architecture);

/// <summary>A worker as the coordinator sees it: an id to send attempts to and how many it runs at once.</summary>
public sealed record WorkerSlot(string WorkerId, int Slots);

/// <summary>
/// Where evaluations run: in this process (<see cref="InProcessWorkerPool"/>) or on Orleans silos
/// (<see cref="Orleans.OrleansWorkerPool"/>). The coordinator only needs the live workers and a way to run one attempt.
/// </summary>
public interface IWorkerPool
{
    /// <summary>The workers alive now. A worker missing from the list has died or left; its attempts are re-assigned.</summary>
    Task<IReadOnlyList<WorkerSlot>> GetWorkersAsync(CancellationToken cancel);

    /// <summary>
    /// Runs one attempt on a worker. An evaluation that fails (exception, NaN) comes back as a failed
    /// <see cref="NasSharp.Search.TrialResult"/>; an exception from this method means the worker could not be reached
    /// or vanished (the attempt is lost, not the trial's fault).
    /// </summary>
    Task<NasSharp.Search.TrialResult> EvaluateAsync(string workerId, TrialRequest request, CancellationToken cancel);
}

/// <summary>
/// The worker cannot evaluate any trial of this space and dataset: its evaluator could not be built (missing tables or
/// training data, bad settings). Neither the trial's fault nor a transient loss, so the coordinator stops sending it
/// work instead of retrying, and stops the study when no worker is left.
/// </summary>
public sealed class WorkerSetupException(string message, Exception? inner = null) : Exception(message, inner);
