using NasSharp.Search.Comparison;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces.Nb201;
using NasSharp.Tests.Shared;

namespace NasSharp.Search.Tests;

/// <summary>Issue 14 item 5: a mistyped `--option` key is refused (naming it and the valid keys), never run with the default.</summary>
public sealed class StrategyOptionKeyTests
{
    private static SearchRequest Request(Dictionary<string, string> options) =>
        new(Nb201Space.Instance, "cifar10", 0, 3, TestData.Directory) { Options = options };

    [Fact]
    public void MistypedKey_IsRefused_NamingTheKeyAndTheValidOnes()
    {
        var ex = Assert.Throws<NasInputException>(() =>
            new AskTellProcedure(StrategyCatalog.Get("re")).Execute(Request(new() { ["populaton"] = "3" })));
        Assert.Contains("'populaton'", ex.Message);
        Assert.Contains("'re'", ex.Message);
        Assert.Contains("population, sample", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void EveryStrategyRefusesAnUnknownKey_WhenBuilt()
    {
        foreach (var d in StrategyCatalog.BuiltIn)
            Assert.Throws<NasInputException>(() => d.Create(Nb201Space.Instance, 0, new Dictionary<string, string> { ["nonsense"] = "1" }));
    }

    [Fact]
    public void DeclaredAndSharedKeys_AreAccepted()
    {
        var run = new AskTellProcedure(StrategyCatalog.Get("re")).Execute(Request(new()
        {
            ["population"] = "5", ["sample"] = "2", ["evaluator"] = "benchmark", ["delay_ms"] = "0",
        }));
        Assert.Equal(3, run.Trials.Count);
    }

    [Fact]
    public void Compare_GivesEachStrategyItsKeys_AndRefusesAKeyNoneTakes()
    {
        var ok = new ComparisonRequest(Nb201Space.Instance, "cifar10", ["random", "re"], 1, 3, TestData.Directory)
            { Options = new Dictionary<string, string> { ["population"] = "3" } };
        Assert.Equal(2, StrategyComparison.Run(ok).Count); // random does not take population: not given to it
        var typo = ok with { Options = new Dictionary<string, string> { ["populaton"] = "3" } };
        var ex = Assert.Throws<NasInputException>(() => StrategyComparison.Run(typo));
        Assert.Contains("'populaton'", ex.Message);
    }
}
