using System.Diagnostics;
using NasSharp.Search;
using NasSharp.Spaces;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Benchmarks;

/// <summary>
/// Scores MBv3 architectures with the OFA accuracy predictor: <see cref="TrialResult.Score"/> = predicted ImageNet top-1 in
/// percent (the project's accuracy unit), metric <c>predicted_top1</c> the same value. Deterministic and cheap (~0.2 ms),
/// a realistic stand-in objective for BO and generation in the MobileNetV3 space.
/// </summary>
public sealed class OfaPredictorEvaluator(OfaAccuracyPredictor predictor) : IEvaluator
{
    public const string MetricName = "predicted_top1";

    public static OfaPredictorEvaluator Load(string dataDirectory) => new(OfaAccuracyPredictor.Load(dataDirectory));

    public string Name => "ofa-predictor";

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        var acc = 100 * predictor.Predict(Mbv3Space.ToConfig(arch));
        return Task.FromResult(new TrialResult(acc, new Dictionary<string, double?> { [MetricName] = acc }, sw.Elapsed.TotalSeconds));
    }
}
