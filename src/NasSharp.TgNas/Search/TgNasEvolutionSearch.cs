using System.Diagnostics;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.TgNas.Search;

/// <summary>
/// Regularised evolution (Real et al. 2019) with TG-NAS as the fitness ("tgnas-zero-shot"; `nas tgnas search --strategy evolve`; the paper's evolutionary half
/// is only sketched, spec §7.2, so this is our choice): a population of P random architectures; each cycle samples S,
/// mutates the fittest (space.Mutate) and replaces the oldest. Budget = proxy evaluations (default 1000); options
/// population (20) and sample (5). Children are scored in small batches of independent cycles for speed.
/// Returns the best architecture ever scored; a repeated architecture is scored from the memo and not counted again.
/// </summary>
public sealed class TgNasEvolutionSearch : ISearchProcedure
{
    public string Name => "tgnas-zero-shot";
    public string Description => "TG-NAS zero-shot: regularised evolution with the GCN's score as fitness (budget = proxy evaluations).";

    public IReadOnlyList<string> OptionKeys { get; } = [.. TgNasSearchSupport.ScorerKeys, "population", "sample"];

    public SearchOutcome Run(SearchRequest request)
    {
        SearchOptionKeys.RequireKnown(Name, request.Options.Keys, OptionKeys);
        var clock = Stopwatch.StartNew();
        var space = request.Space;
        var scorer = TgNasSearchSupport.ScorerFor(request);
        int budget = Counts.Require("--budget (TG-NAS proxy evaluations)", request.Budget);
        int population = TgNasSearchSupport.IntOption(request, "population", 20, 2, 10_000);
        int sample = TgNasSearchSupport.IntOption(request, "sample", 5, 1, population);
        var rng = new Random(request.Seed);
        var memo = new Dictionary<string, double>(StringComparer.Ordinal);
        int evaluations = 0;
        Architecture? best = null;
        double bestScore = double.NegativeInfinity;
        var trajectory = new List<double>();

        double[] Evaluate(IReadOnlyList<Architecture> archs)
        {
            var keys = archs.Select(space.Format).ToArray();
            var fresh = keys.Select((k, i) => (k, i)).Where(t => !memo.ContainsKey(t.k)).GroupBy(t => t.k).Select(g => g.First().i).ToArray();
            if (fresh.Length > 0)
            {
                var s = scorer.Score(fresh.Select(i => archs[i]).ToArray());
                for (int j = 0; j < fresh.Length; j++)
                {
                    memo[keys[fresh[j]]] = s[j];
                    evaluations++;
                    if (s[j] > bestScore) { bestScore = s[j]; best = archs[fresh[j]]; }
                    trajectory.Add(bestScore);
                }
            }
            request.Progress?.Report(new ProgressInfo(Math.Min(evaluations, budget), budget));
            return keys.Select(k => memo[k]).ToArray();
        }

        var pop = new Queue<(Architecture Arch, double Score)>();
        var init = Enumerable.Range(0, Math.Min(population, budget)).Select(_ => space.Sample(rng)).ToArray();
        var initScores = Evaluate(init);
        for (int i = 0; i < init.Length; i++) pop.Enqueue((init[i], initScores[i]));

        const int batch = 8; // cycles whose children are scored together (each picks its parent from the same population)
        int stale = 0;
        while (evaluations < budget && stale < 50 * batch)
        {
            request.Cancel.ThrowIfCancellationRequested();
            var members = pop.ToArray();
            int n = Math.Min(batch, budget - evaluations);
            var children = new Architecture[n];
            for (int c = 0; c < n; c++)
            {
                var parent = Enumerable.Range(0, sample).Select(_ => members[rng.Next(members.Length)]).MaxBy(m => m.Score);
                children[c] = space.Mutate(parent.Arch, rng);
            }
            int before = evaluations;
            var scores = Evaluate(children);
            stale = evaluations == before ? stale + n : 0; // the whole neighbourhood is memoised: stop rather than spin
            for (int c = 0; c < n; c++)
            {
                pop.Enqueue((children[c], scores[c]));
                if (pop.Count > population) pop.Dequeue();
            }
        }
        return new SearchOutcome(best!, bestScore, evaluations, clock.Elapsed)
        {
            Trajectory = trajectory,
            Details = new Dictionary<string, object?> { ["proxy"] = "tgnas", ["population"] = population, ["sample"] = sample },
        };
    }
}
