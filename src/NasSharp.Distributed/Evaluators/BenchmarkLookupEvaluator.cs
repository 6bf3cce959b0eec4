using NasSharp.Benchmarks;
using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed.Evaluators;

/// <summary>
/// Evaluates by looking the architecture up in a tabular benchmark (score = <paramref name="metric"/>, default the
/// validation accuracy in percent; test accuracy rides along in the metrics). Optionally sleeps
/// <paramref name="delay"/> per trial to stand in for training time when measuring the engine.
/// </summary>
public sealed class BenchmarkLookupEvaluator(IBenchmark benchmark, string dataset, string metric, TimeSpan delay) : IEvaluator
{
    private readonly string _dataset = BenchDataset.Normalize(dataset, benchmark.Datasets);

    public string Name => "benchmark";

    public async Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        if (delay > TimeSpan.Zero) await Task.Delay(delay, cancel).ConfigureAwait(false);
        int row = benchmark.IndexOf(arch)
                  ?? throw new NasInputException($"{benchmark.Space.Format(arch)} is not in the {benchmark.Name} table.");
        double? score = benchmark.Query(row, _dataset, metric);
        var metrics = new Dictionary<string, double?>
        {
            [metric] = score,
            [BenchMetric.TestAccuracy] = benchmark.Query(row, _dataset, BenchMetric.TestAccuracy),
        };
        if (score is null)
            return new TrialResult(double.NaN, metrics, delay.TotalSeconds, $"{benchmark.Name} has no {metric} for {_dataset} at row {row}");
        return new TrialResult(score.Value, metrics, delay.TotalSeconds);
    }
}
