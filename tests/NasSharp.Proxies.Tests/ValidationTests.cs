using NasSharp.Proxies.Evaluation;

namespace NasSharp.Proxies.Tests;

/// <summary>The NBSZ reference loader and the comparison table (no torch work).</summary>
public class ValidationTests
{
    [Fact]
    public void ReferenceScoresCompareToThemselvesWithRankCorrelationOne()
    {
        var reference = ZcReference.Load(TestData.Directory, "cifar10");
        Assert.Equal(725, reference.Architectures.Count);
        // Feed the reference's own scores back as "ours" (synflow un-logged), rows 0..19 in two shuffled parts.
        var lines = Enumerable.Range(0, 20).Reverse().Select(i => new ValidationScoreLine(i,
            Spaces.Nb201.Nb201Space.Instance.Format(reference.Architectures[i]),
            new Dictionary<string, double>
            {
                ["snip"] = reference.Scores["snip"][i],
                ["synflow"] = Math.Exp(reference.Scores["synflow"][i]),
            },
            new Dictionary<string, double> { ["snip"] = 0.5, ["synflow"] = 1.5 })).ToList();
        var rows = ProxyValidation.Compare(reference, ["snip", "synflow", "zen"], lines);
        Assert.Equal(1.0, rows[0].SpearmanVsReference!.Value, 12);
        Assert.Equal(1.0, rows[1].SpearmanVsReference!.Value, 12);
        Assert.Equal(rows[0].ReferenceSpearmanVsAccuracy!.Value, rows[0].OurSpearmanVsAccuracy, 12);
        Assert.Equal(20, rows[0].N);
        Assert.Null(rows[2].SpearmanVsReference);          // zen has no reference column
        Assert.Equal(0.5, rows[0].SecondsPerArchitecture, 12);
    }

    [Fact]
    public void ATableNeedsAContiguousPrefixOfAtLeastThreeRows()
    {
        var reference = ZcReference.Load(TestData.Directory, "cifar10");
        var lines = new[] { 0, 1, 3 }.Select(i => new ValidationScoreLine(i, Spaces.Nb201.Nb201Space.Instance.Format(reference.Architectures[i]),
            new() { ["snip"] = 1 }, new() { ["snip"] = 0 })).ToList();
        Assert.Throws<NasInputException>(() => ProxyValidation.Compare(reference, ["snip"], lines));
    }

    [Fact]
    public void ResumingSkipsTheRowsAlreadyScored()
    {
        var reference = ZcReference.Load(TestData.Directory, "cifar10");
        var context = new ProxyContext { Seed = 0, BatchSize = 2 };
        var lines = ProxyValidation.Score(reference, [ProxyRegistry.Get("params")], context, limit: 5, skipRows: new HashSet<int> { 0, 2, 4 });
        Assert.Equal([1, 3], lines.Select(l => l.Row));
        Assert.Equal(Spaces.Nb201.Nb201Space.Instance.Format(reference.Architectures[3]), lines[1].Arch);
        Assert.Equal(reference.Scores["params"][3], lines[1].Scores["params"], 6);   // both in millions, exact closed form
    }

    [Fact]
    public void OnlyDataFreeProxiesCanBeValidatedWhereWeHaveNoImages()
    {
        Assert.True(Harness.ProxyData.HasRealImages("cifar10", TestData.Directory));
        Assert.True(Harness.ProxyData.HasRealImages("cifar100", TestData.Directory));
        Assert.False(Harness.ProxyData.HasRealImages("imagenet16-120", TestData.Directory));
        Assert.False(Harness.ProxyData.HasRealImages("cifar10", null));
        Assert.Equal(["flops", "l2_norm", "meco", "params", "synflow", "zen"],
            ProxyRegistry.All.Where(p => !p.UsesImages).Select(p => p.Name).Order());
    }
}
