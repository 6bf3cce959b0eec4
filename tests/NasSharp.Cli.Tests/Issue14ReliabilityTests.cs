using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NasSharp.Proxies.Evaluation;
using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Search.Store;
using NasSharp.Tests.Shared;
using NasSharp.Torch.Training;

namespace NasSharp.Cli.Tests;

/// <summary>Issue 14 items 1, 4, 7 and 9: unwritable outputs, resume with changed options, Ctrl-C, and the minor resume/printing faults.</summary>
public sealed class Issue14ReliabilityTests : IDisposable
{
    private readonly TempStoreDirectory _dir = new("nassharp-i14-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("compare", "--strategies", "random", "--seeds", "1", "--budget", "5", "--plot", "/proc/x.png")]
    [InlineData("train", "--arch", "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--checkpoint", "/proc/x.ckpt")]
    [InlineData("export", "--space", "nb201", "--arch", "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--out", "/proc/x.onnx")]
    [InlineData("proxy", "validate", "--proxies", "params", "--scores-out", "/proc/scores.jsonl")]
    [InlineData("search", "--strategy", "random", "--budget", "5", "--store", "/proc/runs.db")]
    [InlineData("tgnas", "eval", "--plot", "/proc/tgnas.png")]
    public void An_unwritable_output_path_is_exit_2_naming_the_option_before_any_work(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(args[^2], r.Err);
        Assert.Contains(args[^1], r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void A_directory_as_output_file_is_exit_2()
    {
        var r = CliRunner.Run("export", "--space", "nb201", "--arch", "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--out", _dir.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--out", r.Err);
        Assert.Contains("directory", r.Err);
        var v = CliRunner.Run("proxy", "validate", "--proxies", "params", "--scores-out", _dir.Root);
        Assert.Equal(2, v.ExitCode);
        Assert.Contains("--scores-out", v.Err);
    }

    [Fact]
    public void A_plot_write_that_fails_late_keeps_the_printed_results()
    {
        // /dev/full passes every check (it exists and opens for writing) and then fails each write like a full disk.
        var r = CliRunner.Run("compare", "--strategies", "random", "--seeds", "1", "--budget", "5", "--plot", "/dev/full", "--json");
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("random", doc.RootElement.GetProperty("strategies")[0].GetProperty("strategy").GetString());
        Assert.Contains("--plot '/dev/full' could not be written", r.Err);
    }

    [Fact]
    public void A_checkpoint_refuses_a_resume_with_other_training_options()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.1, Seed = 3 };
        CheckpointInfo Info(TrainingOptions o, int images) => new("nb201", "arch", "fashion-mnist", o.Epochs, o.BatchSize)
            { Seed = o.Seed, Recipe = TrainingRecipe.Of(o, images) };
        var stored = Info(options, 2000);
        stored.CheckResumableAs(Info(options, 2000), "c.ckpt"); // the same run: accepted
        var e = Assert.Throws<NasInputException>(() => stored.CheckResumableAs(Info(options with { LearningRate = 0.05, Augment = false }, 1000), "c.ckpt"));
        Assert.Contains("--lr 0.1 (now 0.05)", e.Message);
        Assert.Contains("--no-augment off (now on)", e.Message);
        Assert.Contains("--limit (training images) 2000 (now 1000)", e.Message);
    }

    [Fact]
    public void A_scores_file_refuses_another_configuration_duplicates_and_damage()
    {
        var file = _dir.File("c10.jsonl");
        var line = ProxyValidation.ToJsonLine(new ValidationScoreLine(0, "|x~0|", new() { ["params"] = 1.0 }, new() { ["params"] = 0.1 }));
        File.WriteAllText(file, ScoresFile.HeaderLine(new ScoresConfig("cifar10", 0, 32, ["params"])) + "\n" + line + "\n");

        var otherSeed = CliRunner.Run("proxy", "validate", "--proxies", "params", "--limit", "3", "--scores-out", file, "--resume", "--seed", "1");
        Assert.Equal(2, otherSeed.ExitCode);
        Assert.Contains("--seed 0 (now 1)", otherSeed.Err);
        var noResume = CliRunner.Run("proxy", "validate", "--proxies", "params", "--limit", "3", "--scores-out", file);
        Assert.Equal(2, noResume.ExitCode);
        Assert.Contains("--resume", noResume.Err);
        var mixed = _dir.File("c100.jsonl");
        File.WriteAllText(mixed, ScoresFile.HeaderLine(new ScoresConfig("cifar10", 1, 32, ["params"])) + "\n");
        var merge = CliRunner.Run("proxy", "validate", "--proxies", "params", "--from-scores", file, mixed);
        Assert.Equal(2, merge.ExitCode);
        Assert.Contains("another configuration", merge.Err);

        File.AppendAllText(file, "{\"Row\":1,\"Arch\":\"|x"); // a kill while writing the last line
        var torn = ScoresFile.Read(file);
        Assert.Single(torn.Lines);
        Assert.Contains("cut-off last line 3", Assert.Single(torn.Notes));
        File.WriteAllText(file, ScoresFile.HeaderLine(new ScoresConfig("cifar10", 0, 32, ["params"])) + "\nnot json\n" + line + "\n");
        var e = Assert.Throws<NasDataException>(() => ScoresFile.Read(file));
        Assert.Contains($"{file} line 2", e.Message);
        Assert.Contains("delete that line", e.Message);
    }

    [Theory]
    [InlineData("--weight-decay", "NaN")]
    [InlineData("--lr", "NaN")]
    [InlineData("--lr", "-1")]
    [InlineData("--weight-decay", "-0.1")]
    public void Non_finite_or_negative_training_numbers_are_refused_naming_the_option(string option, string value)
    {
        var r = CliRunner.Run("train", "--arch", "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Err);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a\u001b[31mred")]
    public void A_blank_or_control_character_study_name_is_refused(string name)
    {
        var r = CliRunner.Run("search", "--strategy", "random", "--budget", "3", "--store", _dir.File("s.db"), "--study", name);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--study", r.Err);
    }

    [Fact]
    public void Runs_list_and_show_never_print_terminal_escapes_from_the_store()
    {
        var db = _dir.File("evil.db");
        using (var s = RunStore.Open(db))
        {
            s.CreateStudy(new StudyRecord("evil\u001b]0;owned\u0007\u001b[2J", "nb201", "random\u001b[31m", "cifar10", 0, 5, "benchmark", "{}"));
            s.AppendTrial("evil\u001b]0;owned\u0007\u001b[2J", new TrialRecord(1, "|x\u001b[1m~0|", "h", new TrialResult(1.0, new Dictionary<string, double?>(), 0.0), 0.0));
        }
        var list = CliRunner.Run("runs", "list", "--store", db);
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain('\u001b', list.Out);
        Assert.Contains("evil", list.Out);
        var show = CliRunner.Run("runs", "show", "evil\u001b]0;owned\u0007\u001b[2J", "--store", db);
        Assert.Equal(0, show.ExitCode);
        Assert.DoesNotContain('\u001b', show.Out);
        Assert.DoesNotContain('\u0007', show.Out);
    }

    [Fact]
    public void Resuming_a_finished_study_with_a_smaller_budget_keeps_the_stored_budget()
    {
        var db = _dir.File("b.db");
        string[] Args(string budget) => ["search", "--space", "nb201", "--strategy", "random", "--dataset", "cifar10", "--seed", "1", "--budget", budget, "--store", db, "--study", "b", "--json"];
        var first = CliRunner.Run(Args("20"));
        Assert.True(first.ExitCode == 0, first.Err);
        var resumed = CliRunner.Run([.. Args("10"), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        Assert.Contains("kept the study's budget 20", resumed.Err);
        using var a = JsonDocument.Parse(first.Out);
        using var b = JsonDocument.Parse(resumed.Out);
        Assert.Equal(20, b.RootElement.GetProperty("evaluations").GetInt32());
        Assert.Equal(a.RootElement.GetProperty("arch").GetString(), b.RootElement.GetProperty("arch").GetString());
        using var s = RunStore.Open(db);
        Assert.Equal(20, s.GetStudy("b")!.Budget);
    }

    [Fact]
    public void Sigint_stops_a_search_between_trials_keeps_the_store_and_resume_ends_like_an_uninterrupted_run()
    {
        var store = _dir.File("int.db");
        string[] Args(string db) => ["search", "--space", "nb201", "--strategy", "re", "--dataset", "cifar10", "--budget", "40", "--seed", "2",
                                     "--option", "population=10", "--store", db, "--study", "i", "--json"];
        using (var child = NasProcess.Start([.. Args(store), "--option", "delay_ms=50"]))
        {
            var clock = Stopwatch.StartNew();
            while (NasProcess.StoredTrials(store, "i") < 5)
            {
                Assert.False(child.Process.HasExited, "the search ended before it could be interrupted: " + child.Err);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no trials stored after 60 s");
                Thread.Sleep(20);
            }
            Assert.Equal(0, kill(child.Process.Id, 2)); // SIGINT, as Ctrl-C sends
            Assert.True(child.Process.WaitForExit(30_000), "the search did not stop after SIGINT");
            child.Process.WaitForExit(); // until stderr is read to its end
            Assert.Equal(130, child.Process.ExitCode);
            Assert.Contains("continue with: nas ", child.Err);
            Assert.Contains("--store", child.Err);
            Assert.Contains("--resume", child.Err);
        }
        int kept = NasProcess.StoredTrials(store, "i");
        Assert.InRange(kept, 5, 39);
        var resumed = CliRunner.Run([.. Args(store), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        var straight = CliRunner.Run(Args(_dir.File("straight.db")));
        using var r = JsonDocument.Parse(resumed.Out);
        using var s = JsonDocument.Parse(straight.Out);
        Assert.Equal(kept, r.RootElement.GetProperty("details").GetProperty("replayed_trials").GetInt32());
        foreach (var key in new[] { "arch", "score", "evaluations", "trajectory" })
            Assert.Equal(s.RootElement.GetProperty(key).ToString(), r.RootElement.GetProperty(key).ToString());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
