using NasSharp.Search.Comparison;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Search.Tests;

/// <summary>`nas compare --first-seed` + `--merge`: seeds split over runs and merged give exactly the single run's results.</summary>
public class ComparisonSplitTests
{
    private static ComparisonRequest Request(int seeds, int first) =>
        new(Nb201Space.Instance, "cifar10", ["random", "re"], seeds, 30, TestData.Directory) { FirstSeed = first };

    [Fact]
    public void SplitSeeds_MergedInAnyOrder_EqualOneRun()
    {
        var whole = StrategyComparison.Run(Request(4, 0));
        var low = StrategyComparison.Run(Request(2, 0));
        var high = StrategyComparison.Run(Request(2, 2));
        Assert.Equal([2, 3], high[0].Seeds);

        var merged = StrategyComparison.Merge(high.Concat(low));
        Assert.Equal(whole.Select(x => x.Strategy), merged.Select(x => x.Strategy));
        foreach (var (w, m) in whole.Zip(merged))
        {
            Assert.Equal([0, 1, 2, 3], m.Seeds);
            Assert.Equal(w.FinalTest, m.FinalTest);
            Assert.Equal(w.Evaluations, m.Evaluations);
            Assert.Equal(w.Mean, m.Mean, 12);
            Assert.Equal(w.Std, m.Std, 12);
            for (int q = 1; q <= 30; q++) Assert.Equal(w.AtQuery(q), m.AtQuery(q));
        }
    }

    [Fact]
    public void MergingOneSeedTwice_IsRefused_AndNegativeFirstSeedIsAnInputError()
    {
        var part = StrategyComparison.Run(Request(1, 3));
        var e = Assert.Throws<NasInputException>(() => StrategyComparison.Merge(part.Concat(part)));
        Assert.Contains("Seed 3", e.Message);
        Assert.Throws<NasInputException>(() => StrategyComparison.Run(Request(1, -1)));
    }
}
