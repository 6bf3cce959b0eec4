using System.Diagnostics;
using NasSharp.Benchmarks;
using NasSharp.Spaces;

namespace NasSharp.Search.Evaluators;

/// <summary>
/// Evaluates an architecture by looking it up in a tabular benchmark. <see cref="TrialResult.Score"/> is the score
/// metric (validation accuracy by default, so search never sees test accuracy); <see cref="TrialResult.Metrics"/> also
/// carries the true test accuracy, params and FLOPs for reporting. <see cref="TrialResult.CostSeconds"/> is the
/// simulated training time: the table's own <c>train_time_s</c> where it records one (NB101), else a documented
/// FLOPs-proportional estimate (<see cref="SimulatedTrainSeconds"/>; NB201's table has no training times).
/// </summary>
public sealed class BenchmarkEvaluator : IEvaluator
{
    /// <summary>Metric holding the simulated training time in seconds.</summary>
    public const string SimulatedTimeMetric = "simulated_train_time_s";

    /// <summary>Assumed throughput of the FLOPs-based estimate: 200 epochs × 50k images × 3 (fwd+bwd) at 1 TFLOP/s effective.</summary>
    public const double SecondsPerMFlop = 200.0 * 50_000 * 3 * 2 * 1e6 / 1e12;

    private readonly IBenchmark _bench;
    private readonly HashSet<string> _available;

    public BenchmarkEvaluator(IBenchmark bench, string dataset, string? scoreMetric = null)
    {
        _bench = bench;
        Dataset = BenchDataset.Normalize(dataset, bench.Datasets);
        var metrics = bench.MetricsFor(Dataset);
        _available = new HashSet<string>(metrics, StringComparer.Ordinal);
        ScoreMetric = scoreMetric ?? DefaultScoreMetric(bench, Dataset);
        if (!_available.Contains(ScoreMetric))
            throw new NasInputException($"{bench.Name} has no metric '{ScoreMetric}' for {Dataset}; use one of: {string.Join(", ", metrics)}.");
    }

    public string Name => $"benchmark:{_bench.Name}/{Dataset}/{ScoreMetric}";
    public string Dataset { get; }
    public string ScoreMetric { get; }

    /// <summary>
    /// Validation accuracy where the table records it (NB201 CIFAR-10: <c>cifar10-valid</c> at 200 epochs), else NASLib's
    /// single-run validation accuracy (NB201 CIFAR-100 / ImageNet16-120), so the search never selects on test accuracy.
    /// </summary>
    public static string DefaultScoreMetric(IBenchmark bench, string dataset)
    {
        var metrics = bench.MetricsFor(dataset);
        foreach (var m in new[] { BenchMetric.ValidAccuracy, "naslib_val_accuracy" })
            if (metrics.Contains(m)) return m;
        throw new NasInputException($"{bench.Name} records no validation accuracy for {dataset}; choose a score metric with --option metric=NAME ({string.Join(", ", metrics)}).");
    }

    /// <summary>FLOPs-proportional training-time estimate in seconds (see <see cref="SecondsPerMFlop"/>); null without FLOPs.</summary>
    public static double? SimulatedTrainSeconds(double? flopsM) => flopsM is { } f ? f * SecondsPerMFlop : null;

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        if (_bench.IndexOf(arch) is not { } row)
            return Task.FromResult(new TrialResult(double.NaN, new Dictionary<string, double?>(), 0, $"not in the {_bench.Name} table"));
        double? Get(string m) => _available.Contains(m) ? _bench.Query(row, Dataset, m) : null;
        var flops = Get(BenchMetric.FlopsM);
        var recordedTime = Get(BenchMetric.TrainTimeS);
        var simulated = recordedTime ?? SimulatedTrainSeconds(flops);
        var metrics = new Dictionary<string, double?>
        {
            ["index"] = row,
            [BenchMetric.TestAccuracy] = Get(BenchMetric.TestAccuracy),
            [BenchMetric.ValidAccuracy] = Get(BenchMetric.ValidAccuracy),
            [BenchMetric.ParamsM] = Get(BenchMetric.ParamsM),
            [BenchMetric.FlopsM] = flops,
            [SimulatedTimeMetric] = simulated,
            [ScoreMetric] = Get(ScoreMetric),
        };
        var score = Get(ScoreMetric);
        var result = score is { } s && double.IsFinite(s)
            ? new TrialResult(s, metrics, simulated ?? sw.Elapsed.TotalSeconds)
            : new TrialResult(double.NaN, metrics, simulated ?? sw.Elapsed.TotalSeconds, $"{_bench.Name} row {row} has no '{ScoreMetric}' for {Dataset}");
        return Task.FromResult(result);
    }
}
