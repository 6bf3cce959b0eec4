using System.Diagnostics;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.TgNas.Search;

/// <summary>
/// TE-NAS-style pruning with TG-NAS as the only signal ("tgnas-prune", spec §7.1 with its sort-key bug fixed). Start
/// from the supernet with every op on every edge (a multi-op graph: one node per (edge, op), which the GCN scores
/// directly); each round, for every edge with more than one op, score the supernet without each of its ops and drop
/// the op whose removal gives the highest score (the one the proxy minds least); stop at one op per edge. Proxy
/// evaluations = Σ over rounds of the ops still on multi-op edges (NB201: 30+24+18+12 = 84). Deterministic; the seed
/// only breaks exact score ties. For ops-on-edges spaces with a fixed edge set (NB201).
/// </summary>
public sealed class TgNasPruneSearch : ISearchProcedure
{
    public string Name => "tgnas-prune";
    public string Description => "TG-NAS zero-shot: prune the all-ops supernet one op per edge per round by the GCN's score (TE-NAS style).";

    public IReadOnlyList<string> OptionKeys => TgNasSearchSupport.ScorerKeys;

    public SearchOutcome Run(SearchRequest request)
    {
        SearchOptionKeys.RequireKnown(Name, request.Options.Keys, OptionKeys);
        var space = request.Space;
        if (space.Placement != OpPlacement.Edges)
            throw new NasInputException($"tgnas-prune needs a space with ops on edges; '{space.Name}' has ops on nodes. Use tgnas-evolve.");
        var clock = Stopwatch.StartNew();
        var scorer = TgNasSearchSupport.ScorerFor(request);
        var rng = new Random(request.Seed);
        var template = space.Sample(new Random(0));
        var edgeKeys = template.Edges.Select(e => (e.From, e.To)).Distinct().ToArray();
        var candidates = edgeKeys.Select(_ => space.Operations.Select(o => o.Name).ToList()).ToArray();
        int evaluations = 0;
        var trajectory = new List<double>();

        Architecture Build(int skipEdge, string? skipOp)
        {
            var edges = new List<ArchEdge>();
            for (int k = 0; k < edgeKeys.Length; k++)
                foreach (var op in candidates[k])
                    if (!(k == skipEdge && op == skipOp)) edges.Add(new ArchEdge(edgeKeys[k].From, edgeKeys[k].To, op));
            return new Architecture(space.Name, template.NodeCount, edges);
        }

        int rounds = candidates.Max(c => c.Count) - 1, round = 0;
        while (candidates.Any(c => c.Count > 1))
        {
            request.Cancel.ThrowIfCancellationRequested();
            var trials = new List<(int Edge, string Op)>();
            for (int k = 0; k < edgeKeys.Length; k++)
                if (candidates[k].Count > 1) foreach (var op in candidates[k]) trials.Add((k, op));
            var scores = scorer.Score(trials.Select(t => Build(t.Edge, t.Op)).ToArray());
            evaluations += trials.Count;
            // Per edge, drop the op whose removal scores highest; exact ties are broken by the seed.
            var tieBreak = trials.Select(_ => rng.NextDouble()).ToArray();
            for (int k = 0; k < edgeKeys.Length; k++)
            {
                var onEdge = Enumerable.Range(0, trials.Count).Where(i => trials[i].Edge == k).ToArray();
                if (onEdge.Length == 0) continue;
                int drop = onEdge.OrderByDescending(i => scores[i]).ThenBy(i => tieBreak[i]).First();
                candidates[k].Remove(trials[drop].Op);
            }
            trajectory.Add(scores.Max());
            request.Progress?.Report(new ProgressInfo(++round, rounds, $"round {round}"));
        }
        var best = Build(-1, null);
        double finalScore = scorer.Score(best);
        evaluations++;
        trajectory.Add(finalScore);
        return new SearchOutcome(best, finalScore, evaluations, clock.Elapsed)
        {
            Trajectory = trajectory,
            Details = new Dictionary<string, object?> { ["proxy"] = "tgnas", ["rounds"] = round },
        };
    }
}
