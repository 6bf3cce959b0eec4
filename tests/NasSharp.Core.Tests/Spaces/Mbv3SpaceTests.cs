using NasSharp.Spaces;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Core.Tests.Spaces;

public class Mbv3SpaceTests
{
    private static readonly Mbv3Space Space = Mbv3Space.Instance;

    // The OFA tutorial's note10 search result (docs: shared/data/ofa/README.md), with junk in the inactive slots.
    private const string Note10 =
        "ks=[5,3,7,7,5,3,5,5,7,7,3,3,5,5,7,3,3,3,5,7] e=[3,3,6,6,4,4,3,3,6,3,4,4,4,4,4,3,6,6,6,4] d=[2,2,3,4,3] r=192";

    [Fact]
    public void Parse_ZeroesInactiveSlots_AndFormatsCanonically()
    {
        var a = Space.Parse(Note10);
        Assert.Equal("ks=[5,3,0,0,5,3,0,0,7,7,3,0,5,5,7,3,3,3,5,0] e=[3,3,0,0,4,4,0,0,6,3,4,0,4,4,4,3,6,6,6,0] d=[2,2,3,4,3] r=192", Space.Format(a));
        Assert.Equal(22, a.NodeCount);
        Assert.Equal("input@192", a.NodeOps![0]);
        Assert.Equal("k5_e3", a.NodeOps[1]);
        Assert.Equal("skip", a.NodeOps[3]);
        // OFA's dict form reads the same.
        var dict = Space.Parse("{'wid': None, 'ks': [5,3,7,7,5,3,5,5,7,7,3,3,5,5,7,3,3,3,5,7], 'e': [3,3,6,6,4,4,3,3,6,3,4,4,4,4,4,3,6,6,6,4], 'd': [2,2,3,4,3], 'r': [192]}");
        Assert.Equal(a, dict);
        Assert.Equal(Space.CanonicalHash(a), Space.CanonicalHash(dict));
    }

    [Fact]
    public void RoundTrips_AndHashesAreDistinct_ForSamples()
    {
        var rng = new Random(5);
        var hashes = new HashSet<string>();
        for (int i = 0; i < 300; i++)
        {
            var a = Space.Sample(rng);
            Assert.True(Space.IsValid(a, out var why), why);
            Assert.Equal(a, Space.Parse(Space.Format(a)));
            var cfg = Mbv3Space.ToConfig(a);
            var x = Mbv3DiffusionEncoding.Encode(cfg);
            Assert.True(Mbv3DiffusionEncoding.IsValid(x, out why), why);
            Assert.Equal(cfg, Mbv3DiffusionEncoding.Decode(x, cfg.Resolution));
            Assert.Equal(cfg, Mbv3DiffusionEncoding.ParseString(Mbv3DiffusionEncoding.ToDiffusionString(cfg), cfg.Resolution));
            hashes.Add(Space.CanonicalHash(a));
        }
        Assert.Equal(300, hashes.Count);
    }

    [Fact]
    public void DiffusionEncoding_FollowsTheTypeTable()
    {
        var cfg = Mbv3Space.ParseConfig(Note10);
        var x = Mbv3DiffusionEncoding.Encode(cfg);
        Assert.Equal(1f, x[0, 3]);  // 5-3 -> 3
        Assert.Equal(1f, x[1, 0]);  // 3-3 -> 0
        Assert.Equal(0f, Enumerable.Range(0, 9).Sum(t => x[2, t])); // skipped slot: zero row
        Assert.Equal(1f, x[8, 8]);  // 7-6 -> 8
        Assert.Equal(1f, x[11 + 1, 4]); // slot 12: 5-4 -> 4
        Assert.Equal("2-5-3_2-3-3_0-0-0_0-0-0_2-5-4_2-3-4_0-0-0_0-0-0_3-7-6_3-7-3_3-3-4_0-0-0_4-5-4_4-5-4_4-7-4_4-3-3_3-3-6_3-3-6_3-5-6_0-0-0",
            Mbv3DiffusionEncoding.ToDiffusionString(cfg));
        // Space.Parse reads the DiffusionNAG string too (resolution 224).
        Assert.Equal(224, Mbv3Space.ToConfig(Space.Parse(Mbv3DiffusionEncoding.ToDiffusionString(cfg))).Resolution);
        var adj = Mbv3DiffusionEncoding.ChainAdjacency();
        Assert.Equal(19f, adj.Cast<float>().Sum());
        Assert.Equal(1f, adj[18, 19]);
    }

    [Fact]
    public void DiffusionValidity_RejectsTheThreeRuleViolations()
    {
        var x = Mbv3DiffusionEncoding.Encode(Mbv3Space.ParseConfig(Note10));
        var twoOnes = (float[,])x.Clone(); twoOnes[0, 5] = 0.9f;
        Assert.False(Mbv3DiffusionEncoding.IsValid(twoOnes, out var why)); Assert.Contains("more than one", why);
        var emptySecond = (float[,])x.Clone(); for (int t = 0; t < 9; t++) emptySecond[5, t] = 0f;
        Assert.False(Mbv3DiffusionEncoding.IsValid(emptySecond, out why)); Assert.Contains("stage 2", why);
        var gap = (float[,])x.Clone(); gap[3, 2] = 1f; // stage 1: slot 3 empty, slot 4 set
        Assert.False(Mbv3DiffusionEncoding.IsValid(gap, out why)); Assert.Contains("slot 3 is empty", why);
        Assert.Throws<NasInputException>(() => Mbv3DiffusionEncoding.Decode(gap));
    }

    [Fact]
    public void Neighbours_AreValidOneEditConfigs()
    {
        var a = Space.Parse(Note10);
        var ns = Space.Neighbours(a).ToList();
        // 14 active blocks × 8 other types; depth −1 on stages with d>2 (3 of them); depth +1 × 9 types on stages with d<4 (4); r ±16 (2)
        Assert.Equal(14 * 8 + 3 + 4 * 9 + 2, ns.Count);
        Assert.Equal(ns.Count, ns.Distinct().Count());
        Assert.DoesNotContain(a, ns);
        foreach (var n in ns) Assert.True(Space.IsValid(n, out var why), why);
        var rng = new Random(2);
        Assert.Contains(Space.Mutate(a, rng), ns);
    }

    [Theory]
    [InlineData("ks=[3,3] e=[3,3] d=[2,2,2,2,2]", "20 kernel sizes")]
    [InlineData("ks=[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3] e=[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3] d=[2,2,5,2,2]", "Depth 5 of stage 3")]
    [InlineData("ks=[4,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3] e=[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3] d=[2,2,2,2,2]", "Kernel size 4 of active block 0")]
    [InlineData("ks=[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3] e=[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3] d=[2,2,2,2,2] r=300", "Resolution 300")]
    [InlineData("e=[3] d=[2]", "no 'ks=[...]'")]
    public void BadConfigs_FailWithAClearMessage(string text, string expected)
    {
        var e = Assert.ThrowsAny<NasInputException>(() => Space.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Ops_HaveDescriptionsForEveryNodeLabel()
    {
        var names = Space.Operations.Select(o => o.Name).ToHashSet();
        var a = Space.Sample(new Random(0));
        foreach (var op in a.NodeOps!.Skip(1)) Assert.Contains(op, names);
        Assert.Equal(12, Space.Operations.Count);
    }
}
