using NasSharp.Distributed.Engine;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace NasSharp.Distributed.Orleans;

/// <summary>The grain face of a worker silo's <see cref="WorkerRuntime"/> (one activation per silo, pinned to it).</summary>
[Reentrant, SiloPinnedPlacement]
public sealed class EvaluationWorkerGrain(WorkerRuntime runtime, ILocalSiloDetails silo) : Grain, IEvaluationWorkerGrain
{
    public Task<WorkerInfo> GetInfo() => Task.FromResult(new WorkerInfo(
        this.GetPrimaryKeyString(), silo.DnsHostName, Environment.ProcessId, runtime.Settings.Threads,
        runtime.Settings.Evaluator.Name, runtime.StartedUtc, runtime.Completed, runtime.Failed,
        runtime.Running.OrderBy(r => r.StartedUtc).ToList(), runtime.TrialsPerSecondLastMinute(),
        WorkerRuntime.WorkingSetMb(), runtime.Settings.MemoryLimitMb));

    public async Task<TrialOutcome> Evaluate(TrialRequest request, CancellationToken cancel)
    {
        // Guard against a stale key: the placement director already pins the activation, this makes it explicit.
        if (this.GetPrimaryKeyString() != silo.SiloAddress.ToParsableString())
            throw new SiloUnavailableException($"Worker {this.GetPrimaryKeyString()} is not this silo ({silo.SiloAddress}).");
        try { return TrialOutcome.From(await runtime.RunAsync(request, cancel)); }
        catch (WorkerSetupException e)
        {
            // Sent back as data: the coordinator must tell "this worker cannot evaluate anything" from a lost connection.
            return new TrialOutcome(double.NaN, new Dictionary<string, double?>(), 0, null) { WorkerError = e.Message };
        }
    }
}
