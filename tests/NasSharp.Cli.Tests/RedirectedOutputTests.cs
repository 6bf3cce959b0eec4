using System.Text.RegularExpressions;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Cli.Tests;

/// <summary>Output to a file or pipe is never hard-wrapped: an architecture string stays one copyable line (issue 14, item 8).</summary>
public class RedirectedOutputTests
{
    private static readonly Regex Nb201Arch = new(@"\|[a-z_0-9]+~0\|\+\|[^\s]*\|", RegexOptions.Compiled);

    [Fact]
    public void Found_architecture_is_one_line_that_parses()
    {
        var r = CliRunner.Run("tgnas", "search", "--strategy", "prune", "--dataset", "cifar10", "--seed", "0");
        Assert.Equal(0, r.ExitCode);
        var line = r.Out.Split('\n').Single(l => l.Contains(" found "));
        Assert.True(line.Length > 80, "the line is longer than Spectre's 80-column default, so the test can see wrapping");
        var arch = Nb201Arch.Match(line).Value;
        Assert.Equal(6, Nb201Space.Instance.Parse(arch).Edges.Count);
    }

    [Fact]
    public void Table_cells_with_architectures_are_not_broken()
    {
        var r = CliRunner.Run("bench", "top", "--space", "nb201", "--dataset", "cifar10", "-k", "3");
        Assert.Equal(0, r.ExitCode);
        var archs = Nb201Arch.Matches(r.Out).Select(m => m.Value).ToList();
        Assert.Equal(3, archs.Count);
        foreach (var a in archs) Nb201Space.Instance.Parse(a);
    }

    [Fact]
    public void A_mistyped_command_gets_the_nearest_suggestion()
    {
        var r = CliRunner.Run("serch", "--space", "nb201");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Did you mean 'search'?", r.Err);
        var o = CliRunner.Run("search", "--space", "nb201", "--strategy", "re", "--budgt", "3");
        Assert.Equal(2, o.ExitCode);
        Assert.Contains("Did you mean '--budget'?", o.Err);
    }
}
