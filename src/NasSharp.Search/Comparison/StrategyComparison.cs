using System.Diagnostics;
using NasSharp.Benchmarks;
using NasSharp.Search.Running;
using NasSharp.Spaces;

namespace NasSharp.Search.Comparison;

/// <summary>What `nas compare` runs: every strategy with seeds 0..Seeds-1 and the same budget on one benchmark table.</summary>
public sealed record ComparisonRequest(ISearchSpace Space, string Dataset, IReadOnlyList<string> Strategies, int Seeds, int Budget, string DataDirectory)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// One strategy's results. <see cref="FinalTest"/>: per seed, the true test accuracy (percent) of the architecture the
/// search returned. <see cref="TestByQuery"/>: per seed, after each query, the test accuracy of the incumbent chosen by the
/// search's own score (NASLib's report_incumbent protocol); null for procedures that only report their final choice.
/// </summary>
public sealed record StrategyResult(string Strategy, IReadOnlyList<double> FinalTest, IReadOnlyList<int> Evaluations,
    IReadOnlyList<double?[]>? TestByQuery, double MeanWallSeconds)
{
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
        if (request.Budget < 1) throw new NasInputException($"--budget must be a positive number of evaluations, got {request.Budget}.");
        if (request.Strategies.Count == 0) throw new NasInputException("Give at least one strategy in --strategies.");
        var procedures = request.Strategies.Select(AskTellProcedure.Resolve).ToList(); // ask/tell form first; unknown names fail before any work
        var bench = BenchmarkTables.Load(request.Space.Name, request.DataDirectory);
        var dataset = BenchDataset.Normalize(request.Dataset, bench.Datasets);
        long total = (long)procedures.Count * request.Seeds, done = 0;
        var results = new List<StrategyResult>();
        foreach (var procedure in procedures)
        {
            var finals = new List<double>();
            var evals = new List<int>();
            var curves = new List<double?[]>();
            bool allCurves = true;
            var clock = Stopwatch.StartNew();
            for (int seed = 0; seed < request.Seeds; seed++)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report(new ProgressInfo(done, total, $"{procedure.Name} seed {seed}"));
                var outcome = procedure.Run(new SearchRequest(request.Space, dataset, seed, request.Budget, request.DataDirectory)
                {
                    Options = request.Options,
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
            results.Add(new StrategyResult(procedure.Name, finals, evals, allCurves ? curves : null, clock.Elapsed.TotalSeconds / request.Seeds));
        }
        return results;
    }
}
