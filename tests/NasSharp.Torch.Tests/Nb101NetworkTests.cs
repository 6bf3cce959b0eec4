using NasSharp.Data;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb101;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Networks.Cells;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests;

public class Nb101NetworkTests
{
    private static Architecture Parse(string s) => Nb101Space.Instance.Parse(s);

    private static (string Arch, long Params)[] TableRows()
    {
        var table = CsvTable.Load(Path.Combine(TestData.Directory, "nb101", "nb101_1k.csv.gz"), ["params"], ["adjacency", "ops"]);
        var adj = table.Strings("adjacency");
        var ops = table.Strings("ops");
        var p = table.Numbers("params");
        return Enumerable.Range(0, table.RowCount).Select(i => ($"{adj[i]}:{ops[i]}", (long)p[i])).ToArray();
    }

    [Fact]
    public void ChainCellCountMatchesHandComputation()
    {
        // input → conv3x3 → output: per cell a 1×1 projection (cin·c + 2c) and a 3×3 conv (9c² + 2c).
        using var net = NetworkFactory.Create(Parse("010001000:input,conv3x3-bn-relu,output"));
        long expected = 3 * 9 * 128 + 2 * 128;
        long cin = 128;
        foreach (long c in new long[] { 128, 128, 128, 256, 256, 256, 512, 512, 512 })
        {
            expected += cin * c + 2 * c + 9 * c * c + 2 * c;
            cin = c;
        }
        expected += 512 * 10 + 10;
        Assert.Equal(expected, net.ParameterCount());
    }

    [Fact]
    public void SampleOfTheTableMatchesItsParamsColumn()
    {
        var rows = TableRows();
        foreach (var i in new[] { 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987 })
        {
            using var net = NetworkFactory.Create(Parse(rows[i].Arch));
            Assert.True(rows[i].Params == net.ParameterCount(), $"row {i} {rows[i].Arch}: table {rows[i].Params}, ours {net.ParameterCount()}");
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void EveryRowOfThe1kTableMatchesItsParamsColumn()
    {
        var rows = TableRows();
        var wrong = new List<string>();
        foreach (var (arch, expected) in rows)
        {
            using var net = NetworkFactory.Create(Parse(arch));
            if (net.ParameterCount() != expected) wrong.Add($"{arch}: {expected} vs {net.ParameterCount()}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(10)));
    }

    [Fact]
    public void OutputChannelsAreSplitOverTheOutputsInputsWithTheRemainderFirst()
    {
        // input feeds 1, 2, 3; all three feed the output: 128 = 43 + 43 + 42.
        var adj = new bool[5, 5];
        foreach (var (a, b) in new[] { (0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4) }) adj[a, b] = true;
        Assert.Equal(new long[] { 64, 43, 43, 42, 128 }, NodeOpCell.VertexChannels(64, 128, adj));
        // 1 → 2 → output: node 1 does not feed the output and takes its successor's width.
        var chain = new bool[4, 4];
        foreach (var (a, b) in new[] { (0, 1), (1, 2), (2, 3), (0, 3) }) chain[a, b] = true;
        Assert.Equal(new long[] { 32, 128, 128, 128 }, NodeOpCell.VertexChannels(32, 128, chain));
    }

    [Fact]
    public void ForwardGivesLogitsAndFeatures()
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        using var net = NetworkFactory.Create(
            Parse("0100110001000000010010000010000001000000010000000:input;conv3x3-bn-relu;maxpool3x3;conv3x3-bn-relu;conv3x3-bn-relu;conv1x1-bn-relu;output"),
            new NetworkOptions { Nb101StemChannels = 16 });
        var y = net.call(randn(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        Assert.True(y.isfinite().all().item<bool>());
        Assert.Equal(new long[] { 2, 64, 8, 8 }, ((INasNetwork)net).Features(randn(2, 3, 32, 32)).shape);
    }

    [Fact]
    public void TwoNodeCellIsAProjection()
    {
        using var scope = NewDisposeScope();
        using var net = NetworkFactory.Create(Parse("0100:input,output"), new NetworkOptions { Nb101StemChannels = 8 });
        Assert.Equal(new long[] { 1, 10 }, net.call(randn(1, 3, 32, 32)).shape);
    }

    [Fact]
    public void CellWithoutPathIsRejected()
    {
        var noPath = Nb101Space.Create(new bool[3, 3] { { false, true, false }, { false, false, false }, { false, false, false } },
                                       ["input", "conv3x3-bn-relu", "output"]);
        Assert.Throws<NasInputException>(() => NetworkFactory.Create(noPath));
    }
}
