using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Search;

/// <summary>
/// The guidance-scale schedule of spec §6.5: draw a batch with scale w, keep the distinct valid architectures, lower w by
/// a step (not below a floor) and draw again until enough distinct candidates exist or the round cap is hit. Strong
/// guidance collapses onto few architectures; lowering w trades predicted score for diversity. Each round is seeded from
/// the run seed (the released code reseeds at random, spec §9 #8).
/// </summary>
public sealed record GuidanceSchedule(double Start = 8, double Step = 1, double Floor = 0.5, int BatchSize = 256, int MaxRounds = 20)
{
    public void Validate()
    {
        foreach (var (name, v) in new[] { ("scale", Start), ("scale step", Step), ("scale floor", Floor) })
            if (double.IsNaN(v) || double.IsInfinity(v) || v < 0) throw new NasInputException($"Guidance {name} must be a finite number ≥ 0, got {v}.");
        Counts.Require("The generation batch (option batch)", BatchSize);
        Counts.Require("The round cap (option rounds)", MaxRounds);
    }

    public double ScaleAt(int round) => Math.Max(Floor, Start - round * Step);
}

/// <summary>What the collection loop produced.</summary>
public sealed record CollectionResult(IReadOnlyList<Architecture> Candidates, int Rounds, int Generated, int Valid, IReadOnlyList<double> Scales, int NonFiniteSteps);

public static class GuidedCollection
{
    /// <summary>Collects at least <paramref name="wanted"/> distinct valid architectures (not in <paramref name="exclude"/>) under the schedule.</summary>
    public static CollectionResult Collect(DiffusionGenerator generator, string? dataset, int wanted, int seed, GuidanceSchedule schedule,
        IReadOnlySet<string>? exclude = null, IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        Counts.Require("The number of candidates (--candidates)", wanted);
        schedule.Validate();
        var key = generator.Score.Encoding;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Architecture>();
        var scales = new List<double>();
        int generated = 0, valid = 0, nonFinite = 0, round = 0;
        for (; round < schedule.MaxRounds && result.Count < wanted; round++)
        {
            double w = schedule.ScaleAt(round);
            scales.Add(w);
            var r = generator.Run(schedule.BatchSize, unchecked(seed * 7919 + round), dataset, w, cancel: cancel);
            generated += r.Generated;
            valid += r.Valid;
            nonFinite += r.NonFiniteSteps;
            foreach (var a in r.UniqueArchitectures)
            {
                var k = key.Key(a);
                if ((exclude is null || !exclude.Contains(k)) && seen.Add(k)) result.Add(a);
            }
            progress?.Report(new ProgressInfo(Math.Min(result.Count, wanted), wanted, $"round {round + 1}, w {w:G3}"));
        }
        return new CollectionResult(result, round, generated, valid, scales, nonFinite);
    }
}
