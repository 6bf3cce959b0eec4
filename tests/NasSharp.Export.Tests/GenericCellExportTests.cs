using NasSharp.Torch.Networks;
using NasSharp.Torch.Networks.Cells;
using NasSharp.Torch.Networks.Nb201;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Export.Tests;

/// <summary>
/// Networks a user-defined space builds from the generic cell builders (EdgeOpCell / NodeOpCell inside a CellNetwork) with
/// the primitive library's modules: conv k×k, depthwise-separable, dilated, avg/max pooling of any odd size, identity, zero.
/// </summary>
public class GenericCellExportTests
{
    private static Module<Tensor, Tensor>? Primitive(string op, long c) => op switch
    {
        "zero" => null,
        "skip" => Identity(),
        "conv1" => Layers.ReluConvBn(c, c, 1, 1, 0, true),
        "conv5" => Layers.ReluConvBn(c, c, 5, 1, 2, true),
        "sep3" => DartsOps.SepConv(c, c, 3, 1, 1, true),
        "dil5" => DartsOps.DilConv(c, c, 5, 1, 4, 2, true),
        "avg3" => AvgPool2d(3, stride: 1, padding: 1, count_include_pad: false),
        "max5" => MaxPool2d(5, stride: 1, padding: 2),
        _ => throw new ArgumentException(op),
    };

    /// <summary>stem → cell → ResNet reduction → cell → BN-ReLU → pool → Linear, at 8/16 channels.</summary>
    private static CellNetwork EdgeNetwork(int nodes, CellEdge[] edges, int seed)
    {
        manual_seed(seed);
        var stem = Sequential(("conv", Conv2d(3, 8, 3, padding: 1, bias: false)), ("bn", BatchNorm2d(8)));
        var blocks = new Module<Tensor, Tensor>[]
        {
            new EdgeOpCell(nodes, edges, 8, Primitive), new ResNetBasicBlock(8, 16, true), new EdgeOpCell(nodes, edges, 16, Primitive),
        };
        var lastact = Sequential(("bn", BatchNorm2d(16)), ("relu", ReLU()));
        return WithBnStatistics(new CellNetwork("UserEdgeNetwork", stem, blocks, lastact, 16, 10));
    }

    [Fact]
    public void FiveNodeEdgeCell_WithEveryPrimitive_MatchesTorchSharp()
    {
        CellEdge[] edges =
        [
            new(0, 1, "sep3"), new(0, 2, "dil5"), new(1, 2, "max5"), new(0, 3, "conv5"), new(1, 3, "zero"), new(2, 3, "avg3"),
            new(2, 4, "skip"), new(3, 4, "conv1"), new(0, 4, "zero"),
        ];
        AssertMatches(ExportAndRun(EdgeNetwork(5, edges, seed: 1)));
    }

    [Fact]
    public void ChainCell_WithAZeroCut_OutputsTheClassifierBias_InBothRuntimes()
    {
        // node 2 has only a zero input: the cell outputs x·0 downstream of it
        CellEdge[] edges = [new(0, 1, "conv1"), new(1, 2, "zero"), new(2, 3, "max5")];
        var check = ExportAndRun(EdgeNetwork(4, edges, seed: 2));
        Assert.True(check.Passed, $"max |diff| = {check.MaxAbsDiff:E3}");
    }

    [Fact]
    public void NodeOpCell_WithUserOps_MatchesTorchSharp()
    {
        // 5 nodes, ops on the 3 inner nodes; 1 → 3 and 2 → 4 skip a node, the input also feeds the output
        var adjacency = new bool[5, 5];
        foreach (var (a, b) in new[] { (0, 1), (1, 2), (1, 3), (2, 3), (0, 3), (2, 4), (3, 4), (0, 4) }) adjacency[a, b] = true;
        string[] ops = ["input", "sep3", "max5", "dil5", "output"];
        NodeOpFactory factory = (op, c) => Primitive(op, c)!;
        manual_seed(3);
        var stem = Layers.ConvBnRelu(3, 12, 3, true);
        var blocks = new Module<Tensor, Tensor>[]
        {
            new NodeOpCell(adjacency, ops, 12, 12, factory, true), MaxPool2d(2, stride: 2), new NodeOpCell(adjacency, ops, 12, 24, factory, true),
        };
        var net = WithBnStatistics(new CellNetwork("UserNodeNetwork", stem, blocks, Identity(), 24, 10));
        AssertMatches(ExportAndRun(net));
    }
}
