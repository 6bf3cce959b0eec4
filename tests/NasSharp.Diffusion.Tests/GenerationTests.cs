using NasSharp.Benchmarks;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;

namespace NasSharp.Diffusion.Tests;

/// <summary>Uses the shipped, briefly trained (CPU minutes) score model and predictor.</summary>
public class GenerationTests
{
    [Fact]
    public void SamplesOfTheBrieflyTrainedModelAreValidAndDiverse()
    {
        var gen = new DiffusionGenerator(ShippedModels.Score.Value);
        var r = gen.Run(256, 11);
        // The shipped model (2,000 CPU steps) is ≥ 99 % valid under the strict threshold rule with the default sampler
        // (docs/diffusionnag.md: 99.8 % of 512 at step 2,000); an untrained model gives ~0 %. Margin for 256 samples.
        Assert.True(r.Validity >= 0.97, $"validity {r.Validity:P2}");
        // 256 uniform draws from the 7,812 training cells would be ≈ 98.4 % unique.
        Assert.True(r.Uniqueness >= 0.95, $"uniqueness {r.Uniqueness:P2}");
        // Trained on half of the space: about half of what it generates is new (the paper reports 49 %).
        Assert.InRange(r.Novelty!.Value, 0.3, 0.7);
        Assert.Equal(0, r.NonFiniteSamples);
    }

    [Fact]
    public void GuidanceMovesPredictedAndTrueAccuracyUp()
    {
        var score = ShippedModels.Score.Value;
        var predictor = ShippedModels.Predictor.Value;
        var gen = new DiffusionGenerator(score, predictor);
        var plain = gen.Run(128, 5);
        var guided = gen.Run(128, 5, "cifar10", 3);
        Assert.True(guided.Validity >= 0.95, $"guided validity {guided.Validity:P2}");
        double Pred(GenerationResult g) => predictor.PredictClean(g.Samples.Where(s => s.IsValid).Select(s => s.Architecture!).ToArray(), "cifar10").Average();
        Assert.True(Pred(guided) > Pred(plain) + 0.25, $"predicted z {Pred(plain):F2} -> {Pred(guided):F2}");
        var bench = BenchmarkTables.Load("nb201", TestData.Directory);
        double True(GenerationResult g) => g.Samples.Where(s => s.IsValid)
            .Average(s => bench.Query(bench.IndexOf(s.Architecture!)!.Value, "cifar10", BenchMetric.TestAccuracy) ?? 0);
        Assert.True(True(guided) > True(plain) + 1.5, $"true accuracy {True(plain):F2} -> {True(guided):F2}");
    }

    [Fact]
    public void BatchRepulsion_SeparatesSamplesHeadingForOneArchitecture_AtUnchangedValidity()
    {
        var score = ShippedModels.Score.Value;
        var independent = new DiffusionGenerator(score, options: new SamplerOptions { Repulsion = 0 }).Run(400, 21);
        var repelled = new DiffusionGenerator(score, options: new SamplerOptions { Repulsion = SamplerOptions.DefaultRepulsion("nb201") }).Run(400, 21);
        int Duplicates(GenerationResult g) => g.Valid - g.Unique;
        // 400 independent uniform draws from 15,625 cells repeat ≈ 5 times; the repulsion removes (almost) all repeats.
        Assert.True(Duplicates(independent) >= 2, $"independent duplicates {Duplicates(independent)}");
        Assert.True(Duplicates(repelled) < Duplicates(independent), $"duplicates {Duplicates(independent)} -> {Duplicates(repelled)}");
        Assert.True(repelled.Validity >= 0.97, $"validity {repelled.Validity:P2}");
        Assert.InRange(repelled.Novelty!.Value, 0.3, 0.7);
        Assert.Equal(0, repelled.NonFiniteSamples);
    }
}
