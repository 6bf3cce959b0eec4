using System.Text.Json;

namespace NasSharp.Cli.Tests;

public class SpaceCommandTests
{
    [Fact]
    public void SampleIsDeterministicPerSeed()
    {
        var a = CliRunner.Run("space", "sample", "--space", "nb201", "-n", "5", "--seed", "1", "--json");
        var b = CliRunner.Run("space", "sample", "--space", "nb201", "-n", "5", "--seed", "1", "--json");
        var c = CliRunner.Run("space", "sample", "--space", "nb201", "-n", "5", "--seed", "2", "--json");
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
        using var doc = JsonDocument.Parse(a.Out);
        Assert.Equal(5, doc.RootElement.GetProperty("architectures").GetArrayLength());
    }

    [Fact]
    public void InfoReportsIsomorphismClassesAndOpDescriptions()
    {
        var r = CliRunner.Run("space", "info", "--space", "nb201", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(6466, doc.RootElement.GetProperty("isomorphism_classes").GetInt32());
        Assert.Equal(341, doc.RootElement.GetProperty("disconnected").GetInt32());
        Assert.Contains(doc.RootElement.GetProperty("operations").EnumerateArray(),
            o => o.GetProperty("name").GetString() == "nor_conv_3x3" && o.GetProperty("description").GetString() == "Convolution 3 by 3");
    }

    [Fact]
    public void ListAndHumanOutputWork()
    {
        var r = CliRunner.Run("space", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("nb201", r.Out);
        Assert.Contains("nb101", r.Out);
        var nb101 = CliRunner.Run("space", "sample", "--space", "nb101", "-n", "2", "--seed", "3");
        Assert.Equal(0, nb101.ExitCode);
        Assert.Contains("input", nb101.Out);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var args in new[] { new[] { "--help" }, ["space", "--help"], ["space", "sample", "--help"], ["bench", "query", "--help"], ["bench", "top", "--help"] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Usage:", r.Out);
        }
    }
}
