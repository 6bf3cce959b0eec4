using NasSharp.Benchmarks;
using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Training;

namespace NasSharp.Diffusion.Sampling;

/// <summary>Generation quality and OFA-predicted accuracy of one MBv3 sampling call (guided or not); null means no valid sample.</summary>
public sealed record Mbv3GenerationStats(int Seed, double Scale, int Generated, double Validity, double Uniqueness,
    double? MeanOfaAccuracy, double? MaxOfaAccuracy, double? MeanPredictedZ, int NonFiniteSamples, double Seconds,
    IReadOnlyList<ReasonCount> InvalidReasons);

/// <summary>How many invalid samples broke one validity rule.</summary>
public sealed record ReasonCount(string Reason, int Count);

/// <summary>
/// Does guidance work on MBv3? For each seed, sample unguided and guided batches from the same score model and measure
/// validity, uniqueness and the OFA-predicted ImageNet top-1 of the valid samples (the objective the guidance predictor
/// was trained to imitate), plus the guidance predictor's own clean-input z-score.
/// </summary>
public static class Mbv3GuidanceCheck
{
    public static Mbv3GenerationStats Measure(DiffusionGenerator generator, OfaAccuracyPredictor ofa, PredictorModel predictor,
        int count, int seed, double scale, CancellationToken cancel = default)
    {
        if (generator.Score.Encoding.SpaceName != "mbv3") throw new NasInputException($"The score model is for '{generator.Score.Encoding.SpaceName}', not mbv3.");
        // Every valid sample (duplicates included) is scored, so collect them batch by batch as the generator streams them.
        var validList = new List<NasSharp.Spaces.Architecture>();
        var r = generator.Run(count, seed, null, scale, cancel: cancel,
            onBatch: batch => validList.AddRange(batch.Where(s => s.IsValid).Select(s => s.Architecture!)));
        var valid = validList.ToArray();
        var accs = valid.Select(a => Mbv3OfaLabels.Accuracy(ofa, a)).ToArray();
        var z = predictor.PredictClean(valid, null);
        return new Mbv3GenerationStats(seed, scale, r.Generated, r.Validity, r.Uniqueness,
            accs.Length > 0 ? accs.Average() : null, accs.Length > 0 ? accs.Max() : null,
            z.Length > 0 ? z.Average() : null, r.NonFiniteSamples, r.Seconds, r.InvalidReasons);
    }

    /// <summary>Why invalid samples failed, with stage/row numbers dropped so that equal rules count together.</summary>
    public static IReadOnlyList<ReasonCount> ReasonCounts(IEnumerable<DecodedSample> samples) =>
        samples.Where(s => !s.IsValid)
            .GroupBy(s => GenerationResult.NormaliseReason(s.Reason))
            .OrderByDescending(g => g.Count())
            .Select(g => new ReasonCount(g.Key, g.Count())).ToArray();
}
