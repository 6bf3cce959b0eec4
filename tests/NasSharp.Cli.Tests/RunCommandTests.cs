namespace NasSharp.Cli.Tests;

/// <summary>`nas run` and `nas worker --evaluator train`: bad input is one line and exit code 2, before any search or training.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nassharp-runcli-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Help_lists_the_stages_options()
    {
        var r = CliRunner.Run("run", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var o in new[] { "--train-epochs", "--train-limit", "--out", "--resume", "--cluster", "--threads", "--data-path" }) Assert.Contains(o, r.Out);
    }

    [Fact]
    public void An_out_path_that_is_a_file_is_exit_2_naming_out()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        var r = CliRunner.Run("run", "--out", file, "--threads", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--out", r.Err);
    }

    [Theory]
    [InlineData("--data-path", "/nonexistent/fashion-mnist", "--data-path")]
    [InlineData("--train-epochs", "0", "--train-epochs")]
    [InlineData("--data", "mnist", "Unknown --data")]
    [InlineData("--budget", "0", "--budget")]
    public void Bad_options_are_exit_2_with_the_option_named(string option, string value, string expected)
    {
        var r = CliRunner.Run("run", "--out", _dir, "--threads", "1", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.False(File.Exists(Path.Combine(_dir, "search.json")));
    }

    [Fact]
    public void Cluster_needs_an_ask_tell_strategy()
    {
        var r = CliRunner.Run("run", "--out", _dir, "--strategy", "tgnas-prune", "--cluster", "localhost");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--cluster runs ask/tell strategies", r.Err);
    }

    [Theory]
    [InlineData("--data-path", "/nonexistent/fashion-mnist", "--data-path")]
    [InlineData("--train-epochs", "0", "--train-epochs")]
    public void A_training_worker_checks_its_settings_before_joining(string option, string value, string expected)
    {
        var r = CliRunner.Run("worker", "--evaluator", "train", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
    }

    [Fact]
    public void Worker_help_lists_the_train_evaluator()
    {
        var r = CliRunner.Run("worker", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("train", r.Out);
        Assert.Contains("--train-epochs", r.Out);
    }
}
