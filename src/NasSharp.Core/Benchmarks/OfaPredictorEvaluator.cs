using System.Diagnostics;
using NasSharp.Search;
using NasSharp.Spaces;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Benchmarks;

/// <summary>
/// Scores MBv3 architectures with the OFA accuracy predictor: <see cref="TrialResult.Score"/> = predicted ImageNet top-1 in
/// percent (the project's accuracy unit), metric <c>predicted_top1</c> the same value, and, when a latency table is given,
/// <c>latency_note10_ms</c>. Deterministic and cheap (~0.2 ms), a realistic stand-in objective for BO and generation in
/// the MobileNetV3 space.
/// </summary>
public sealed class OfaPredictorEvaluator(OfaAccuracyPredictor predictor, OfaLatencyTable? latency = null) : IEvaluator
{
    public const string MetricName = "predicted_top1";
    public const string LatencyMetric = "latency_note10_ms";

    /// <summary>The predictor and, for the metric <c>latency_note10_ms</c>, the note10 latency table, both from the data directory.</summary>
    public static OfaPredictorEvaluator Load(string dataDirectory) =>
        new(OfaAccuracyPredictor.Load(dataDirectory), OfaLatencyTable.Load(dataDirectory));

    public string Name => "ofa-predictor";

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        var config = Mbv3Space.ToConfig(arch);
        var acc = 100 * predictor.Predict(config);
        var metrics = new Dictionary<string, double?> { [MetricName] = acc };
        if (latency is not null) metrics[LatencyMetric] = latency.LatencyMs(config);
        return Task.FromResult(new TrialResult(acc, metrics, sw.Elapsed.TotalSeconds));
    }
}
