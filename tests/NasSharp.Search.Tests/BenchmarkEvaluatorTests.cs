using NasSharp.Benchmarks;
using NasSharp.Search.Evaluators;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Search.Tests;

public class BenchmarkEvaluatorTests
{
    private static IBenchmark Nb201 => BenchmarkTables.Load("nb201", TestData.Directory);

    [Fact]
    public void Nb201Cifar10_ScoresByValidationAndReportsTrueTest()
    {
        // Index 6111 (data README): best CIFAR-10 valid 91.6067 and test 94.3733.
        var eval = new BenchmarkEvaluator(Nb201, "cifar10");
        Assert.Equal(BenchMetric.ValidAccuracy, eval.ScoreMetric);
        var r = eval.EvaluateAsync(Nb201Index.ToArchitecture(6111)).Result;
        Assert.False(r.Failed);
        Assert.Equal(91.6067, r.Score, 4);
        Assert.Equal(94.3733, r.Metrics[BenchMetric.TestAccuracy]!.Value, 4);
        Assert.Equal(6111, r.Metrics["index"]);
        Assert.Equal(r.Metrics[BenchMetric.FlopsM]!.Value * BenchmarkEvaluator.SecondsPerMFlop, r.CostSeconds, 6);
    }

    [Fact]
    public void Cifar100_FallsBackToNaslibValidation_AndAskedMetricIsUsed()
    {
        var eval = new BenchmarkEvaluator(Nb201, "cifar100");
        Assert.Equal("naslib_val_accuracy", eval.ScoreMetric);
        var byTest = new BenchmarkEvaluator(Nb201, "c100", BenchMetric.TestAccuracy);
        Assert.Equal(73.5133, byTest.EvaluateAsync(Nb201Index.ToArchitecture(9930)).Result.Score, 4);
        Assert.Throws<NasInputException>(() => new BenchmarkEvaluator(Nb201, "cifar10", "no_such_metric"));
        Assert.Throws<NasInputException>(() => new BenchmarkEvaluator(Nb201, "mnist"));
    }
}
