using NasSharp.Benchmarks;
using NasSharp.Ranking;
using NasSharp.Spaces;

namespace NasSharp.TgNas;

/// <summary>Rank agreement of TG-NAS scores with a benchmark's recorded accuracy over the whole (enumerable) space.</summary>
public sealed record TgNasEvaluationResult(
    string Space, string Dataset, string Metric, int Count, double Kendall, double Spearman,
    IReadOnlyDictionary<string, double> TopKPrecision, double TopPredictedAccuracy, double BestAccuracy, double ScoringSeconds)
{
    public double[] Scores { get; init; } = [];
    public double[] Truth { get; init; } = [];
}

public static class TgNasEvaluation
{
    public static readonly int[] TopKs = [10, 50, 100, 1000];

    /// <summary>Scores every row of the space's table and compares with <paramref name="metric"/> (default test_accuracy).</summary>
    public static TgNasEvaluationResult Evaluate(TgNasScorer scorer, string dataDirectory, string dataset, string metric = BenchMetric.TestAccuracy, IProgress<ProgressInfo>? progress = null)
    {
        var bench = BenchmarkTables.Load(scorer.Builder.Space.Name, dataDirectory);
        var d = BenchDataset.Normalize(dataset, bench.Datasets);
        var rows = Enumerable.Range(0, bench.Count).Where(i => bench.Query(i, d, metric) is { } v && double.IsFinite(v)).ToArray();
        if (rows.Length < 2) throw new NasInputException($"{bench.Name} has no '{metric}' for {d}.");
        var archs = rows.Select(bench.ArchitectureAt).ToArray();
        var truth = rows.Select(i => bench.Query(i, d, metric)!.Value).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scores = scorer.Score(archs, progress);
        double seconds = clock.Elapsed.TotalSeconds;
        var topK = TopKs.Where(k => k <= rows.Length).ToDictionary(k => $"top{k}", k => RankCorrelation.TopKPrecision(scores, truth, k));
        int best = RankCorrelation.TopIndices(scores, 1)[0];
        return new TgNasEvaluationResult(bench.Name, d, metric, rows.Length,
            RankCorrelation.KendallTauB(scores, truth), RankCorrelation.SpearmanRho(scores, truth),
            topK, truth[best], truth.Max(), seconds) { Scores = scores, Truth = truth };
    }
}
