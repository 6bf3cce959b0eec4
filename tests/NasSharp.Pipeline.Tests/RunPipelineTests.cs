using System.Text.Json;
using NasSharp.Pipeline;

namespace NasSharp.Pipeline.Tests;

/// <summary>The stage logic of `nas run` with fake stages: files, report, resume rules, bad input.</summary>
public sealed class RunPipelineTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly FakeSearch _search = new("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|avg_pool_3x3~2|");
    private readonly FakeTrain _train = new();
    private readonly FakeExport _export = new();

    private RunPipeline Pipeline() => new(_search, _train, _export, new DirectRunner());
    private RunSettings Settings(string? dir = null) => new("nb201", "fake", 3, dir ?? _tmp.Path, "/nonexistent-data") { Epochs = 2 };

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void A_run_writes_the_report_its_three_plots_and_result_json()
    {
        var result = Pipeline().Run(Settings());
        var dir = new RunDirectory(_tmp.Path);
        foreach (var png in new[] { RunDirectory.TrajectoryPlot, RunDirectory.ProxyPlot, RunDirectory.TrainingPlot })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(dir[png]).Take(4).ToArray());
        string report = File.ReadAllText(dir[RunDirectory.ReportFile]);
        Assert.Contains(_search.Run(Settings(), new Progress<ProgressInfo>(), default).Arch.Replace("|", "\\|"), report);
        Assert.Contains("90.00 %", report);           // table accuracy of the winner
        Assert.Contains("**68.00 %**", report);        // fake test accuracy after 2 epochs: 48 + 20
        Assert.Contains("2.50E-007", report);          // ONNX max abs diff
        Assert.Contains("table accuracy 1.000", report); // the three fake candidates are in the same order by score and accuracy

        using var json = JsonDocument.Parse(File.ReadAllText(dir[RunDirectory.ResultFile]));
        Assert.Equal(result.Search.Arch, json.RootElement.GetProperty("search").GetProperty("arch").GetString());
        Assert.Equal(68.0, json.RootElement.GetProperty("train").GetProperty("test_accuracy").GetDouble());
        Assert.Equal(2, json.RootElement.GetProperty("train").GetProperty("history").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("export").GetProperty("verified").GetBoolean());
        Assert.Empty(result.ReusedStages);
    }

    [Fact]
    public void Resume_reuses_the_finished_search_and_training_and_redoes_only_the_export()
    {
        Pipeline().Run(Settings());
        var again = Pipeline().Run(Settings() with { Resume = true });
        Assert.Equal((1, 1, 2), (_search.Calls, _train.Calls, _export.Calls));
        Assert.Equal(["search", "train"], again.ReusedStages);
        Assert.Equal(68.0, again.Train.TestAccuracy);
    }

    [Fact]
    public void Resume_after_a_finished_search_only_trains()
    {
        Pipeline().Run(Settings());
        new RunDirectory(_tmp.Path).Delete(RunDirectory.TrainFile); // as if killed during training
        var again = Pipeline().Run(Settings() with { Resume = true });
        Assert.Equal((1, 2), (_search.Calls, _train.Calls));
        Assert.Equal(["search"], again.ReusedStages);
    }

    [Fact]
    public void A_directory_with_a_finished_stage_is_not_overwritten_without_resume()
    {
        Pipeline().Run(Settings());
        var e = Assert.Throws<NasInputException>(() => Pipeline().Run(Settings()));
        Assert.Contains("--resume", e.Message);
        Assert.Equal(1, _search.Calls);
    }

    [Fact]
    public void Resuming_with_different_training_options_is_refused_and_names_the_option()
    {
        Pipeline().Run(Settings());
        var e = Assert.Throws<NasInputException>(() => Pipeline().Run(Settings() with { Resume = true, Epochs = 5 }));
        Assert.Contains("train_epochs=2", e.Message);
        Assert.Contains("train_epochs=5", e.Message);
        Assert.Equal(1, _train.Calls);
    }

    [Fact]
    public void Thread_count_is_not_part_of_the_identity_so_a_resume_may_change_it()
    {
        Pipeline().Run(Settings());
        var again = Pipeline().Run(Settings() with { Resume = true, Threads = 2 });
        Assert.Equal(["search", "train"], again.ReusedStages);
    }

    [Fact]
    public void An_out_path_that_is_a_file_is_refused_before_anything_runs()
    {
        Directory.CreateDirectory(_tmp.Path);
        var file = Path.Combine(_tmp.Path, "not-a-dir");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<NasInputException>(() => Pipeline().Run(Settings(file)));
        Assert.Contains("--out", e.Message);
        Assert.Equal(0, _search.Calls);
    }

    [Fact]
    public void Unreadable_training_data_fails_before_the_search()
    {
        _train.DataError = new NasDataException("Fashion-MNIST file x not found.");
        Assert.Throws<NasDataException>(() => Pipeline().Run(Settings()));
        Assert.Equal(0, _search.Calls);
        // Nothing finished, so the same directory may be used again without --resume.
        _train.DataError = null;
        Pipeline().Run(Settings());
        Assert.Equal(1, _search.Calls);
    }

    [Theory]
    [InlineData("epochs")]
    [InlineData("batch")]
    [InlineData("lr")]
    [InlineData("train-limit")]
    [InlineData("threads")]
    [InlineData("data-path")]
    public void Bad_settings_are_input_errors_that_name_the_option(string which)
    {
        var s = Settings();
        s = which switch
        {
            "epochs" => s with { Epochs = 0 },
            "batch" => s with { BatchSize = 0 },
            "lr" => s with { LearningRate = double.NaN },
            "train-limit" => s with { TrainLimit = 0 },
            "threads" => s with { Threads = 0 },
            _ => s with { DataPath = "/nonexistent/fashion" },
        };
        var e = Assert.Throws<NasInputException>(() => Pipeline().Run(s));
        Assert.Contains(which == "epochs" ? "--train-epochs" : "--" + which, e.Message);
        Assert.Equal(0, _search.Calls);
    }
}
