using NasSharp.Spaces.Nb101;
using NasSharp.Torch.Networks;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>NB101 networks (NodeOpCell: channel split, truncation, input projections, concat) at a small stem.</summary>
public class Nb101ExportTests
{
    private static nn.Module<Tensor, Tensor> Network(string arch, int seed)
    {
        manual_seed(seed);
        var options = new NetworkOptions { Nb101StemChannels = 10, Nb101Stacks = 2, Nb101CellsPerStack = 1 };
        return WithBnStatistics(NetworkFactory.Create(Nb101Space.Instance.Parse(arch), options));
    }

    [Theory]
    // a diamond: the input feeds two nodes (two projections) that sum into the node before the output
    [InlineData("0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output")]
    // all 7 nodes; input → output directly (projection added to the concat); 10 channels over 3 outputs → 4,3,3, so node 2 → 3 truncates
    [InlineData("0100011001000000010010000100000000100000010000000:input,conv3x3-bn-relu,conv1x1-bn-relu,maxpool3x3,conv3x3-bn-relu,conv1x1-bn-relu,output")]
    // the 2-node cell: only the input projection
    [InlineData("0100:input,output")]
    // one interior node, which feeds the output together with the input
    [InlineData("011001000:input,maxpool3x3,output")]
    public void Nb101Export_MatchesTorchSharp(string arch)
    {
        AssertMatches(ExportAndRun(Network(arch, seed: 7)));
    }
}
