using System.Diagnostics;
using NasSharp.Benchmarks;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces;

namespace NasSharp.Search.Comparison;

/// <summary>What `nas compare` runs: every strategy with seeds 0..Seeds-1 and the same budget on one benchmark table.</summary>
public sealed record ComparisonRequest(ISearchSpace Space, string Dataset, IReadOnlyList<string> Strategies, int Seeds, int Budget, string DataDirectory)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    /// <summary>Seeds run are FirstSeed..FirstSeed+Seeds-1 (split a comparison over processes, then merge their outputs).</summary>
    public int FirstSeed { get; init; }
}

/// <summary>
/// One strategy's results. <see cref="FinalTest"/>: per seed, the true test accuracy (percent) of the architecture the
/// search returned. <see cref="TestByQuery"/>: per seed, after each query, the test accuracy of the incumbent chosen by the
/// search's own score (NASLib's report_incumbent protocol); null for procedures that only report their final choice.
/// </summary>
public sealed record StrategyResult(string Strategy, IReadOnlyList<double> FinalTest, IReadOnlyList<int> Evaluations,
    IReadOnlyList<double?[]>? TestByQuery, double MeanWallSeconds)
{
    /// <summary>The seed of each run (same order as <see cref="FinalTest"/>).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = Enumerable.Range(0, FinalTest.Count).ToArray();

    public double Mean => FinalTest.Average();
    /// <summary>Sample standard deviation over seeds (n−1), as papers report it; 0 for one seed.</summary>
    public double Std => FinalTest.Count < 2 ? 0 : Math.Sqrt(FinalTest.Sum(v => (v - Mean) * (v - Mean)) / (FinalTest.Count - 1));

    /// <summary>Mean and sample std over seeds of the incumbent's test accuracy after <paramref name="queries"/> queries.</summary>
    public (double Mean, double Std)? AtQuery(int queries)
    {
        if (TestByQuery is null) return null;
        var values = TestByQuery.Where(t => t.Length >= queries && t[queries - 1] is not null).Select(t => t[queries - 1]!.Value).ToList();
        if (values.Count == 0) return null;
        double m = values.Average();
        return (m, values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Count - 1)));
    }
}

/// <summary>Runs registered search procedures side by side on a benchmark table and collects test-accuracy trajectories.</summary>
public static class StrategyComparison
{
    public static IReadOnlyList<StrategyResult> Run(ComparisonRequest request, IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        if (request.Seeds < 1) throw new NasInputException($"--seeds must be at least 1, got {request.Seeds}.");
        if (request.FirstSeed < 0) throw new NasInputException($"--first-seed must be 0 or positive, got {request.FirstSeed}.");
        if (request.Budget < 1) throw new NasInputException($"--budget must be a positive number of evaluations, got {request.Budget}.");
        if (request.Strategies.Count == 0) throw new NasInputException("Give at least one strategy in --strategies.");
        var procedures = request.Strategies.Select(AskTellProcedure.Resolve).ToList(); // ask/tell form first; unknown names fail before any work
        var bench = BenchmarkTables.Load(request.Space.Name, request.DataDirectory);
        var dataset = BenchDataset.Normalize(request.Dataset, bench.Datasets);
        RequireSomeoneAccepts(procedures, request.Options);
        long total = (long)procedures.Count * request.Seeds, done = 0;
        var results = new List<StrategyResult>();
        foreach (var procedure in procedures)
        {
            var finals = new List<double>();
            var evals = new List<int>();
            var curves = new List<double?[]>();
            bool allCurves = true;
            var clock = Stopwatch.StartNew();
            for (int seed = request.FirstSeed; seed < request.FirstSeed + request.Seeds; seed++)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report(new ProgressInfo(done, total, $"{procedure.Name} seed {seed}"));
                var outcome = procedure.Run(new SearchRequest(request.Space, dataset, seed, request.Budget, request.DataDirectory)
                {
                    Options = OptionsFor(procedure, request.Options),
                    Cancel = cancel,
                });
                var row = bench.IndexOf(outcome.Best) ?? throw new NasInputException($"{procedure.Name} returned an architecture that is not in the {bench.Name} table.");
                finals.Add(bench.Query(row, dataset, BenchMetric.TestAccuracy)
                           ?? throw new NasInputException($"{bench.Name} records no test accuracy for {dataset}; compare needs it."));
                evals.Add(outcome.Evaluations);
                if (outcome.Details.GetValueOrDefault("test_trajectory") is double?[] curve) curves.Add(curve);
                else allCurves = false;
                progress?.Report(new ProgressInfo(++done, total, $"{procedure.Name} seed {seed}"));
            }
            results.Add(new StrategyResult(procedure.Name, finals, evals, allCurves ? curves : null, clock.Elapsed.TotalSeconds / request.Seeds)
            {
                Seeds = Enumerable.Range(request.FirstSeed, request.Seeds).ToArray(),
            });
        }
        return results;
    }

    /// <summary>Each ask/tell strategy gets the options it accepts (population=3 goes to re, not to random); other procedures get all.</summary>
    private static IReadOnlyDictionary<string, string> OptionsFor(ISearchProcedure procedure, IReadOnlyDictionary<string, string> options) =>
        procedure is AskTellProcedure a
            ? options.Where(kv => a.Definition.Accepts(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase)
            : options;

    /// <summary>A key that no compared ask/tell strategy accepts is a typo: refused before any run, as `nas search` does.</summary>
    private static void RequireSomeoneAccepts(IReadOnlyList<ISearchProcedure> procedures, IReadOnlyDictionary<string, string> options)
    {
        if (procedures.Any(p => p is not AskTellProcedure)) return; // a one-piece procedure reads its own options
        StrategyCatalog.RequireAcceptedBySome(procedures.Cast<AskTellProcedure>().Select(p => p.Definition).ToArray(), options.Keys);
    }

    /// <summary>
    /// Combines the runs of several comparisons (e.g. seeds split over processes) strategy by strategy, in order of first
    /// appearance; a seed of one strategy present twice is refused. Wall time is the run-weighted mean.
    /// </summary>
    public static IReadOnlyList<StrategyResult> Merge(IEnumerable<StrategyResult> parts)
    {
        var merged = new List<StrategyResult>();
        foreach (var group in parts.GroupBy(p => p.Strategy))
        {
            var runs = group.SelectMany(p => p.Seeds.Select((seed, i) => (Seed: seed, Final: p.FinalTest[i], Evals: p.Evaluations[i],
                Curve: p.TestByQuery?[i], Wall: p.MeanWallSeconds))).OrderBy(r => r.Seed).ToList();
            var twice = runs.GroupBy(r => r.Seed).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null) throw new NasInputException($"Seed {twice.Key} of '{group.Key}' is in more than one of the merged comparisons; merge disjoint seed ranges.");
            bool curves = group.All(p => p.TestByQuery is not null);
            merged.Add(new StrategyResult(group.Key, runs.Select(r => r.Final).ToArray(), runs.Select(r => r.Evals).ToArray(),
                curves ? runs.Select(r => r.Curve!).ToArray() : null, runs.Average(r => r.Wall))
            {
                Seeds = runs.Select(r => r.Seed).ToArray(),
            });
        }
        return merged;
    }
}
