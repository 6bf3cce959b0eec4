using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Diffusion.Training;

namespace NasSharp.Diffusion.Tests;

public class TrainingTests
{
    [Fact]
    public void ScoreMatchingLossDecreasesOnATinyModel()
    {
        var options = new ScoreTrainingOptions
        {
            Steps = 150, BatchSize = 64, Seed = 1, Split = new TrainingSplit(0.05, 0), WarmupSteps = 10,
            Model = new TransformerConfig { Blocks = 1, Width = 16, Heads = 2, FeedForward = 32, HeadHidden = 32 },
        };
        var (model, report) = ScoreTrainer.Train(Nb201Encoding.Instance, options);
        using (model)
        {
            double first = report.Losses.Take(5).Average(), last = report.Losses.TakeLast(5).Average();
            // An untrained score network gives E[(σs+z)²] ≈ 1 (z dominates); learning the score must cut it well below.
            Assert.InRange(first, 0.6, 3.0);
            Assert.True(last < 0.8 * first, $"loss {first:F3} -> {last:F3}");
            Assert.Equal(781, report.TrainingArchitectures);
        }
    }

    [Fact]
    public void WeightsRoundTripAndRefuseOtherKinds()
    {
        var options = new ScoreTrainingOptions { Steps = 2, BatchSize = 8, Model = new TransformerConfig { Blocks = 1, Width = 16, Heads = 2, FeedForward = 16, HeadHidden = 16 } };
        var (model, _) = ScoreTrainer.Train(Nb201Encoding.Instance, options);
        var path = Path.Combine(Path.GetTempPath(), $"dnag-test-{Guid.NewGuid():N}.dnag");
        try
        {
            using (model) model.Save(path);
            using var loaded = ScoreModel.Load(path, "nb201");
            Assert.Equal(options.Model, loaded.Config);
            var a = PcSampler.Sample(loaded, 4, 9, new SamplerOptions { Steps = 3 });
            var b = PcSampler.Sample(loaded, 4, 9, new SamplerOptions { Steps = 3 });
            Assert.Equal(a.Centred, b.Centred); // same seed, same samples
            Assert.Throws<NasInputException>(() => ScoreModel.Load(path, "nb101"));
            Assert.Throws<NasInputException>(() => PredictorModel.Load(path));
            File.WriteAllText(path, "not weights");
            Assert.Throws<NasInputException>(() => ScoreModel.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SnapshotAtStepKEqualsARunOfKSteps()
    {
        var tiny = new TransformerConfig { Blocks = 1, Width = 16, Heads = 2, FeedForward = 16, HeadHidden = 16 };
        var options = new ScoreTrainingOptions { Steps = 6, BatchSize = 8, Seed = 3, WarmupSteps = 2, Model = tiny, SnapshotEvery = 3 };
        float[]? snapshot = null;
        var (full, _) = ScoreTrainer.Train(Nb201Encoding.Instance, options, snapshot: (step, m) =>
        {
            Assert.Equal(3, step);
            snapshot = Flatten(m);
        });
        var (shorter, _) = ScoreTrainer.Train(Nb201Encoding.Instance, options with { Steps = 3, SnapshotEvery = 0 });
        using (full)
        using (shorter)
        {
            Assert.NotNull(snapshot);
            Assert.Equal(Flatten(shorter), snapshot);
            Assert.NotEqual(Flatten(full), snapshot); // training went on after the snapshot
        }

        static float[] Flatten(ScoreModel m) => m.Network.parameters().SelectMany(p => p.detach().contiguous().data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void BadSamplerInputIsRejected()
    {
        var model = ShippedModels.Score.Value;
        var gen = new DiffusionGenerator(model, ShippedModels.Predictor.Value);
        Assert.Throws<NasInputException>(() => gen.Run(0, 0));
        Assert.Throws<NasInputException>(() => gen.Run(-3, 0));
        Assert.Throws<NasInputException>(() => gen.Run(4, 0, "cifar10", double.NaN));
        Assert.Throws<NasInputException>(() => gen.Run(4, 0, "cifar10", -1));
        Assert.Throws<NasInputException>(() => gen.Run(4, 0, "mnist", 1));
    }
}
