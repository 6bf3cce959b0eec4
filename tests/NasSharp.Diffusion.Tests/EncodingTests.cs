using NasSharp.Diffusion.Encoding;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Diffusion.Tests;

public class EncodingTests
{
    private static readonly Nb201Encoding Enc = Nb201Encoding.Instance;

    [Fact]
    public void AllNb201ArchitecturesRoundTrip()
    {
        var x = new float[Enc.Nodes * Enc.OpTypes];
        int count = 0;
        foreach (var arch in Nb201Space.Instance.Enumerate())
        {
            Enc.Encode(arch, x);
            Assert.Equal(Enc.Nodes, x.Count(v => v == 1f));
            var back = Enc.Decode(x, out var reason);
            Assert.True(back is not null, reason);
            Assert.Equal(Nb201Space.Instance.Format(arch), Nb201Space.Instance.Format(back!));
            count++;
        }
        Assert.Equal(15625, count);
    }

    [Fact]
    public void CentredBatchDecodesWithThreshold()
    {
        var archs = Nb201Space.Instance.Enumerate().Take(50).ToArray();
        var centred = EncodingBatches.EncodeCentred(Enc, archs);
        Assert.All(centred, v => Assert.True(v is 1f or -1f));
        var decoded = EncodingBatches.DecodeCentred(Enc, centred, archs.Length);
        Assert.Equal(archs.Select(a => Enc.Key(a)), decoded.Select(d => Enc.Key(d.Architecture!)));
    }

    [Theory]
    [InlineData("two ones in a row")]
    [InlineData("empty row")]
    [InlineData("input inside the cell")]
    [InlineData("row 0 not input")]
    [InlineData("nan")]
    public void BrokenMatricesAreInvalid(string kind)
    {
        var x = new float[Enc.Nodes * Enc.OpTypes];
        Enc.Encode(Nb201Space.FromCode(1234), x);
        var c = x.Select(v => 2 * v - 1).ToArray();
        switch (kind)
        {
            case "two ones in a row": c[3 * 7 + 2] = 1; c[3 * 7 + 3] = 1; break;
            case "empty row": for (int j = 0; j < 7; j++) c[2 * 7 + j] = -1; break;
            case "input inside the cell": for (int j = 0; j < 7; j++) c[4 * 7 + j] = j == 0 ? 1 : -1; break;
            case "row 0 not input": c[0] = -1; c[5] = 1; break;
            case "nan": c[10] = float.NaN; break;
        }
        var d = EncodingBatches.DecodeCentred(Enc, c, 1)[0];
        Assert.False(d.IsValid);
    }

    [Fact]
    public void AdjacencyFollowsTheCellDataFlow()
    {
        // Op node k+1 carries NB201 edge k in string order (1←0, 2←0, 2←1, 3←0, 3←1, 3←2); spec §2.1's corrected matrix.
        var expected = new[] { (0, 1), (0, 2), (0, 4), (1, 3), (1, 5), (2, 6), (3, 6), (4, 7), (5, 7), (6, 7) };
        var a = Enc.Adjacency;
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                Assert.Equal(expected.Contains((i, j)), a[i, j]);
        var released = new Nb201Encoding(releasedCodeAdjacency: true).Adjacency;
        Assert.True(released[0, 3] && released[3, 7] && !released[0, 4]);
    }
}
