using System.Text.Json;

namespace NasSharp.Cli.Tests;

public class BenchCommandTests
{
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    [Fact]
    public void QueryByIndexGivesTheDocumentedJson()
    {
        var r = CliRunner.Run("bench", "query", "--space", "nb201", "--index", "6111", "--dataset", "cifar10", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(6111, root.GetProperty("index").GetInt32());
        Assert.Equal(Best, root.GetProperty("arch").GetString());
        Assert.Equal("cifar10", root.GetProperty("dataset").GetString());
        Assert.Equal(94.37, root.GetProperty("test_accuracy").GetDouble(), 2);
        Assert.Equal(91.6067, root.GetProperty("valid_accuracy").GetDouble(), 4);
        Assert.Equal(1.073466, root.GetProperty("params_m").GetDouble(), 6);
    }

    [Fact]
    public void QueryByArchAndMissingValuesAreNull()
    {
        var r = CliRunner.Run("bench", "query", "--arch", Best, "--dataset", "cifar100", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(6111, doc.RootElement.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("valid_accuracy").ValueKind);
    }

    [Fact]
    public void TopListsTheBestArchitectures()
    {
        var r = CliRunner.Run("bench", "top", "--space", "nb201", "--dataset", "cifar10", "-k", "3", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var top = doc.RootElement.GetProperty("top").EnumerateArray().Select(e => e.GetProperty("index").GetInt32()).ToArray();
        Assert.Equal([6111, 13714, 9930], top);
    }

    [Fact]
    public void StatsOnNb101()
    {
        var r = CliRunner.Run("bench", "stats", "--space", "nb101", "--metric", "valid_accuracy", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(30001, doc.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(94.91, doc.RootElement.GetProperty("max").GetDouble(), 2);
    }

    [Theory]
    [InlineData("Malformed NB201 architecture", "bench", "query", "--arch", "|nor_conv_3x3~0|+|oops|")]
    [InlineData("Unknown NB201 operation 'conv_9x9'", "bench", "query", "--arch", "|conv_9x9~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|")]
    [InlineData("out of range", "bench", "query", "--index", "15625")]
    [InlineData("Unknown dataset 'svhn'", "bench", "query", "--index", "1", "--dataset", "svhn")]
    [InlineData("exactly one of --arch", "bench", "query")]
    [InlineData("Unknown metric 'speed'", "bench", "top", "--metric", "speed")]
    [InlineData("Unknown search space 'nb999'", "space", "info", "--space", "nb999")]
    [InlineData("Unrecognized command or argument", "bench", "frobnicate")]
    [InlineData("--index takes a whole number (at most 2,147,483,647); 'abc' is not one.", "bench", "query", "--index", "abc")]
    public void BadInputIsOneClearLineAndExitCode2(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void MissingAndCorruptTablesAreExitCode2()
    {
        var dir = Directory.CreateTempSubdirectory("nassharp-cli");
        try
        {
            var missing = new StringWriter();
            Assert.Equal(2, CliApp.Run(["bench", "query", "--index", "1", "--data-dir", dir.FullName], new StringWriter(), missing));
            Assert.Contains("NAS-Bench-201 table not found", missing.ToString());

            Directory.CreateDirectory(Path.Combine(dir.FullName, "nb201"));
            File.WriteAllBytes(Path.Combine(dir.FullName, "nb201", "nb201.csv.gz"), [1, 2, 3, 4]);
            var corrupt = new StringWriter();
            Assert.Equal(2, CliApp.Run(["bench", "query", "--index", "1", "--data-dir", dir.FullName], new StringWriter(), corrupt));
            Assert.Contains("is corrupt", corrupt.ToString());
        }
        finally { dir.Delete(true); }
    }
}
