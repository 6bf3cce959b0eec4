using NasSharp.Export;
using NasSharp.Pipeline;
using NasSharp.Search;
using NasSharp.TgNas.Search;

namespace NasSharp.Pipeline.Tests;

/// <summary>
/// `nas run`'s real stages on a tiny setting: TG-NAS evolution (zero-cost), 1 epoch on 64 Fashion-MNIST images, ONNX
/// export checked in ONNX Runtime, report. Trains three times (two seeds-equal runs and nothing on resume): slow.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EndToEndTests : IDisposable
{
    private readonly TempDir _a = new(), _b = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private static RunSettings Tiny(string dir) => new("nb201", "tgnas-evolve", 5, dir, TestData.Directory)
    {
        Budget = 40, Epochs = 1, BatchSize = 32, TrainLimit = 64, TestLimit = 64, ProxySample = 20, Threads = 1,
    };

    private static RunPipeline Real() => new(new ProcedureSearchStage((_, _) => null), new TorchTrainStage(), new OnnxExportStage(), new DirectRunner());

    [Fact]
    public void Search_train_export_report_is_deterministic_per_seed_and_resumes_without_redoing_stages()
    {
        SearchProcedures.Register(new TgNasEvolutionSearch());
        var first = Real().Run(Tiny(_a.Path));

        Assert.Equal(40, first.Search.Evaluations);
        Assert.NotNull(first.Search.TableAccuracy); // NB201 winner looked up in the table
        Assert.Equal(64, first.Train.TrainImages);
        Assert.Equal(64, first.Train.TestImages);
        Assert.InRange(first.Train.TestAccuracy, 0, 100);
        Assert.True(double.IsFinite(first.Train.History.Single().TrainLoss));
        Assert.True(first.Export.Verified, $"ONNX max abs diff {first.Export.MaxAbsDiff}");
        Assert.True(first.Export.MaxAbsDiff < OnnxCheck.Tolerance);
        var dir = new RunDirectory(_a.Path);
        foreach (var f in new[] { RunDirectory.ReportFile, RunDirectory.ResultFile, RunDirectory.CheckpointFile, RunDirectory.OnnxFile, RunDirectory.TrajectoryPlot, RunDirectory.TrainingPlot })
            Assert.True(dir.Has(f), f);

        var second = Real().Run(Tiny(_b.Path));
        Assert.Equal(first.Search.Arch, second.Search.Arch);
        Assert.Equal(first.Train.History.Single().TrainLoss, second.Train.History.Single().TrainLoss);
        Assert.Equal(first.Train.TestAccuracy, second.Train.TestAccuracy);

        var resumed = Real().Run(Tiny(_a.Path) with { Resume = true });
        Assert.Equal(["search", "train"], resumed.ReusedStages);
        Assert.Equal(first.Train.TestAccuracy, resumed.Train.TestAccuracy);
        Assert.Equal(first.Export.MaxAbsDiff, resumed.Export.MaxAbsDiff);
    }
}
