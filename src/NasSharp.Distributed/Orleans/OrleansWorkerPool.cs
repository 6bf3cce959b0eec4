using System.Collections.Concurrent;
using NasSharp.Distributed.Engine;
using NasSharp.Search;
using Orleans;
using Orleans.Runtime;

namespace NasSharp.Distributed.Orleans;

/// <summary>
/// The worker pool of an Orleans cluster: every active silo is a worker (its slots come from its own --threads);
/// attempts go to the silo's pinned <see cref="IEvaluationWorkerGrain"/>.
/// </summary>
public sealed class OrleansWorkerPool(IClusterClient client) : IWorkerPool
{
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, int> _slots = new();

    public async Task<IReadOnlyList<WorkerSlot>> GetWorkersAsync(CancellationToken cancel)
    {
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(InfoTimeout, cancel);
        var list = new List<WorkerSlot>();
        foreach (var silo in hosts.Keys)
        {
            string id = silo.ToParsableString();
            if (!_slots.TryGetValue(id, out int slots))
            {
                try { slots = _slots[id] = (await Worker(id).GetInfo().WaitAsync(InfoTimeout, cancel)).Slots; }
                catch (Exception) when (!cancel.IsCancellationRequested) { continue; } // joining or dying: ask again next refresh
            }
            list.Add(new WorkerSlot(id, slots));
        }
        return list;
    }

    public async Task<TrialResult> EvaluateAsync(string workerId, TrialRequest request, CancellationToken cancel)
    {
        var outcome = await Worker(workerId).Evaluate(request, cancel);
        return outcome.WorkerError is { } setup ? throw new WorkerSetupException(setup) : outcome.ToResult();
    }

    /// <summary>Every active worker's status (for `nas cluster status`); workers that do not answer are listed with null.</summary>
    public async Task<IReadOnlyList<(string WorkerId, WorkerInfo? Info)>> GetStatusAsync(CancellationToken cancel)
    {
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(InfoTimeout, cancel);
        var tasks = hosts.Keys.Select(async s =>
        {
            string id = s.ToParsableString();
            try { return (id, (WorkerInfo?)await Worker(id).GetInfo().WaitAsync(InfoTimeout, cancel)); }
            catch (Exception) when (!cancel.IsCancellationRequested) { return (id, null); }
        });
        return (await Task.WhenAll(tasks)).OrderBy(t => t.id, StringComparer.Ordinal).ToList();
    }

    private IEvaluationWorkerGrain Worker(string id) => client.GetGrain<IEvaluationWorkerGrain>(id);
}
