using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Core.Tests;

public class Nb201SpaceTests
{
    private static readonly Nb201Space Space = Nb201Space.Instance;
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    [Fact]
    public void OfficialIndexAnchorsMatchThePublishedStrings()
    {
        Assert.Equal(Best, Space.Format(Nb201Index.ToArchitecture(6111)));
        Assert.Equal("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
            Space.Format(Nb201Index.ToArchitecture(0)));
        Assert.Equal("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
            Space.Format(Nb201Index.ToArchitecture(9930)));
        Assert.Equal(6111, Nb201Index.ToIndex(Space.Parse(Best)));
    }

    [Fact]
    public void EnumerationCoversEverySpaceMemberOnceAndRoundTripsThroughStringAndIndex()
    {
        var all = Space.Enumerate().ToList();
        Assert.Equal(15625, all.Count);
        Assert.Equal(15625, all.Select(a => Space.Format(a)).Distinct().Count());
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(all[i], Space.Parse(Space.Format(all[i])));
            Assert.Equal(i, Nb201Index.ToIndex(all[i]));
        }
    }

    [Fact]
    public void IsomorphismClassesMatchThePaperCount()
    {
        // NAS-Bench-201 paper: 15,625 cells, 6,466 unique topologies once isomorphic cells are merged.
        Assert.Equal(6466, Space.Enumerate().Select(Space.CanonicalHash).Distinct().Count());
    }

    [Theory]
    // Input order inside a node does not matter (a sum); a skip is transparent; a zero input disappears.
    // node 2 does not reach the output: its ops do not matter
    [InlineData("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|",
                "|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|none~0|skip_connect~1|none~2|", true)]
    // conv after a skip equals conv on the input; the unused node 1 branch is irrelevant
    [InlineData("|skip_connect~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|",
                "|nor_conv_1x1~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|", true)]
    [InlineData("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|",
                "|nor_conv_1x1~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|", false)]
    [InlineData(Best, "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|", false)]
    public void CanonicalHashIdentifiesIsomorphicCells(string a, string b, bool same) =>
        Assert.Equal(same, Space.CanonicalHash(Space.Parse(a)) == Space.CanonicalHash(Space.Parse(b)));

    [Fact]
    public void DisconnectedCellsAreDetected()
    {
        Assert.True(Nb201Space.IsDisconnected(Space.Parse("|none~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|skip_connect~1|none~2|")));
        Assert.False(Nb201Space.IsDisconnected(Space.Parse(Best)));
        Assert.Equal(341, Space.Enumerate().Count(Nb201Space.IsDisconnected));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|", "it has 2 node groups")]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "must have 2 input")]
    [InlineData("nor_conv_3x3~0+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "start and end with '|'")]
    [InlineData("|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "i in 0..0")]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "two inputs from node 0")]
    [InlineData("|conv_5x5~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "Unknown NB201 operation 'conv_5x5'")]
    public void MalformedStringsGiveAClearError(string text, string expected)
    {
        var e = Assert.Throws<NasInputException>(() => Space.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void IndexOutOfRangeIsAnInputError()
    {
        Assert.Contains("out of range", Assert.Throws<NasInputException>(() => Nb201Index.ToArchitecture(15625)).Message);
        Assert.Throws<NasInputException>(() => Nb201Index.ToArchitecture(-1));
    }

    [Fact]
    public void SamplingIsDeterministicPerSeedAndMutationChangesExactlyOneEdge()
    {
        var a = Enumerable.Range(0, 20).Select(_ => 0).Select((_, i) => Space.Sample(new Random(7 + i))).ToList();
        var b = Enumerable.Range(0, 20).Select(_ => 0).Select((_, i) => Space.Sample(new Random(7 + i))).ToList();
        Assert.Equal(a, b);
        var rng = new Random(3);
        var arch = Space.Parse(Best);
        for (int t = 0; t < 50; t++)
        {
            var m = Space.Mutate(arch, rng);
            var diff = Nb201Space.OpIndices(arch).Zip(Nb201Space.OpIndices(m)).Count(p => p.First != p.Second);
            Assert.Equal(1, diff);
        }
        Assert.Equal(24, Space.Neighbours(arch).Distinct().Count());
    }

    [Fact]
    public void EdgeToNodeConversionMakesEveryEdgeANode()
    {
        var g = ArchitectureConversion.EdgeOpsToNodeOps(Space.Parse(Best));
        Assert.Equal(8, g.NodeCount);
        Assert.Equal("input", g.NodeOps![0]);
        Assert.Equal("output", g.NodeOps![^1]);
        // edges leaving the input: (0,1),(0,2),(0,3) become nodes 1,2,4
        Assert.Equal(new[] { 1, 2, 4 }, g.Edges.Where(e => e.From == 0).Select(e => e.To));
        // edge (0,1) feeds edges leaving node 1: (1,2),(1,3) = nodes 3,5
        Assert.Equal(new[] { 3, 5 }, g.Edges.Where(e => e.From == 1).Select(e => e.To));
        // edges into the cell output (0,3),(1,3),(2,3) = nodes 4,5,6 feed the output node 7
        Assert.Equal(new[] { 4, 5, 6 }, g.Edges.Where(e => e.To == 7).Select(e => e.From));
        var back = ArchitectureConversion.NodeOpsToEdgeOps(g);
        Assert.Equal(6 + g.Edges.Count, back.Edges.Count);
        Assert.Equal(g.NodeOps.Skip(1).Take(6), back.Edges.Where(e => e.From % 2 == 1 && e.To == e.From + 1).Select(e => e.Op));
    }
}
