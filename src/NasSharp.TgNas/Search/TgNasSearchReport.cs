using NasSharp.Benchmarks;
using NasSharp.Search;

namespace NasSharp.TgNas.Search;

/// <summary>A search outcome plus the found architecture's true accuracy when the space's table is in the data directory.</summary>
public static class TgNasSearchReport
{
    public static Dictionary<string, object?> Describe(SearchOutcome outcome, SearchRequest request)
    {
        var space = request.Space;
        var result = new Dictionary<string, object?>
        {
            ["space"] = space.Name, ["dataset"] = request.Dataset, ["seed"] = request.Seed,
            ["arch"] = space.Format(outcome.Best), ["score"] = outcome.BestScore,
            ["proxy_evaluations"] = outcome.Evaluations, ["wall_seconds"] = outcome.Wall.TotalSeconds,
            ["index"] = null, ["test_accuracy"] = null, ["best_test_accuracy"] = null,
        };
        IBenchmark bench;
        try { bench = BenchmarkTables.Load(space.Name, request.DataDirectory); }
        catch (NasInputException) { return result; } // no table: the search still works, it just cannot report truth
        var dataset = BenchDataset.Normalize(request.Dataset, bench.Datasets);
        result["dataset"] = dataset;
        if (bench.IndexOf(outcome.Best) is { } row)
        {
            result["index"] = row;
            result["test_accuracy"] = bench.Query(row, dataset, BenchMetric.TestAccuracy);
            result["best_test_accuracy"] = bench.Summary(dataset, BenchMetric.TestAccuracy).Max;
        }
        return result;
    }
}
