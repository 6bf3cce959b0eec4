using NasSharp.Pipeline;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Pipeline.Tests;

/// <summary>The "train" evaluator on a tiny budget (64 images, 1 epoch): a real score, the same for the same architecture, failures as failed trials.</summary>
[Trait("Category", "Slow")]
public sealed class TrainingEvaluatorTests
{
    internal static TrainingEvaluatorSettings Tiny => new("fashion-mnist", TestData.Directory) { TrainLimit = 64, ValidLimit = 64, BatchSize = 32, Seed = 1 };

    [Fact]
    public async Task Training_scores_an_architecture_by_held_out_accuracy_and_repeats_exactly()
    {
        var arch = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|");
        using var evaluator = new TrainingEvaluator(Tiny);
        var a = await evaluator.EvaluateAsync(arch);
        var b = await evaluator.EvaluateAsync(arch);
        Assert.False(a.Failed, a.Error);
        Assert.InRange(a.Score, 0, 100);
        Assert.Equal(a.Score, a.Metrics["trained_valid_accuracy"]);
        Assert.True(a.Metrics["parameters"] > 0);
        Assert.Equal(a.Score, b.Score);
        Assert.Equal(a.Metrics["train_loss"], b.Metrics["train_loss"]);
    }

    [Fact]
    public async Task A_diverging_training_is_a_failed_trial_with_the_error_not_a_nan_score()
    {
        var arch = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        using var evaluator = new TrainingEvaluator(Tiny with { LearningRate = 1e30 });
        var r = await evaluator.EvaluateAsync(arch);
        Assert.True(r.Failed);
        Assert.Contains("diverged", r.Error);
    }

    [Fact]
    public void Bad_settings_are_input_errors()
    {
        Assert.Throws<NasInputException>(() => new TrainingEvaluator(Tiny with { Epochs = 0 }));
        Assert.Throws<NasInputException>(() => TrainingEvaluatorSettings.FromOptions(new Dictionary<string, string> { ["train_limit"] = "many" }, TestData.Directory, 0));
    }
}
