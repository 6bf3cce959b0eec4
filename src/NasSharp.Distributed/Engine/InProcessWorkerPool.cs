using NasSharp.Distributed.Evaluators;
using NasSharp.Search;

namespace NasSharp.Distributed.Engine;

/// <summary>One local worker with <paramref name="slots"/> concurrent evaluations: the engine without a cluster.</summary>
public sealed class InProcessWorkerPool(IEvaluator evaluator, int slots, string workerId = "local") : IWorkerPool
{
    private readonly IReadOnlyList<WorkerSlot> _workers = slots >= 1 ? [new WorkerSlot(workerId, slots)]
        : throw new NasInputException($"A local worker pool needs at least 1 slot (got {slots}).");

    public Task<IReadOnlyList<WorkerSlot>> GetWorkersAsync(CancellationToken cancel) => Task.FromResult(_workers);

    public Task<TrialResult> EvaluateAsync(string workerId, TrialRequest request, CancellationToken cancel) =>
        Task.Run(() => EvaluationRunner.RunAsync(evaluator, request.Space, request.Architecture, cancel), cancel);
}
