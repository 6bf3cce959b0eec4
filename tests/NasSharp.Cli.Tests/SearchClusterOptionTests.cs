namespace NasSharp.Cli.Tests;

public class SearchClusterOptionTests
{
    [Fact]
    public void ClusterIsOnlyForAskTellStrategies()
    {
        var r = CliRunner.Run("search", "--space", "nb201", "--strategy", "tgnas-prune", "--cluster", "localhost");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--cluster runs ask/tell strategies", r.Err);
    }

    [Fact]
    public void SearchHelpListsTheClusterOption()
    {
        var r = CliRunner.Run("search", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--cluster", r.Out);
    }
}
