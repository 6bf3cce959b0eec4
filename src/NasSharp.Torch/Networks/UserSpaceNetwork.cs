using NasSharp.Spaces;
using NasSharp.Spaces.UserDefined;
using NasSharp.Torch.Networks.Cells;
using NasSharp.Torch.Networks.Nb201;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>
/// The network of a user-defined space's architecture, on NB201's macro skeleton and sizes (<see cref="NetworkOptions.Nb201StemChannels"/>
/// C = 16, <see cref="NetworkOptions.Nb201CellsPerStage"/> N = 5): stem Conv3×3-BN to C, three stages of N cells at C, 2C, 4C,
/// global average pool, Linear.
/// <list type="bullet">
/// <item>Ops on edges: <see cref="EdgeOpCell"/> (node j = Σ op(node i)); NB201's ResNet reduction blocks between stages;
///   BN-ReLU before pooling — the NB201 network with the user's ops.</item>
/// <item>Ops on nodes: <see cref="NodeOpCell"/> (NB101's wiring: 1×1 projections of the cell input, channels split over the
///   nodes that feed the output, concatenation); 2×2 max-pool and doubled channels between stages, as NB101.</item>
/// </list>
/// </summary>
public static class UserSpaceNetwork
{
    public static CellNetwork Build(UserSpace space, Architecture arch, NetworkOptions options)
    {
        options.Validate();
        space.OpIndices(arch); // validates shape and op names against the space
        return space.Placement == OpPlacement.Edges ? BuildEdges(space, arch, options) : BuildNodes(space, arch, options);
    }

    private static CellNetwork BuildEdges(UserSpace space, Architecture arch, NetworkOptions options)
    {
        bool bn = options.BatchNorm;
        long channels = options.Nb201StemChannels;
        var cellEdges = arch.Edges.Select(e => new CellEdge(e.From, e.To, e.Op!)).ToArray();
        var factory = UserSpaceOps.EdgeFactory(space, bn);
        var stem = Sequential(("conv", Conv2d(options.InputChannels, channels, 3, stride: 1, padding: 1, bias: false)), ("bn", Layers.Norm(channels, bn)));
        var blocks = new List<Module<Tensor, Tensor>>();
        for (int stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                blocks.Add(new ResNetBasicBlock(channels, channels * 2, bn));
                channels *= 2;
            }
            for (int i = 0; i < options.Nb201CellsPerStage; i++) blocks.Add(new EdgeOpCell(space.NodeCount, cellEdges, channels, factory));
        }
        var lastact = Sequential(("bn", Layers.Norm(channels, bn)), ("relu", ReLU()));
        return new CellNetwork("UserSpaceNetwork", stem, blocks, lastact, channels, options.NumClasses);
    }

    private static CellNetwork BuildNodes(UserSpace space, Architecture arch, NetworkOptions options)
    {
        bool bn = options.BatchNorm;
        long channels = options.Nb201StemChannels, inChannels = channels;
        var adjacency = arch.Adjacency();
        var factory = UserSpaceOps.NodeFactory(space, bn);
        var stem = Layers.ConvBnRelu(options.InputChannels, channels, 3, bn);
        var blocks = new List<Module<Tensor, Tensor>>();
        for (int stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                blocks.Add(MaxPool2d(2, stride: 2));
                channels *= 2;
            }
            for (int i = 0; i < options.Nb201CellsPerStage; i++)
            {
                blocks.Add(new NodeOpCell(adjacency, arch.NodeOps!, inChannels, channels, factory, bn));
                inChannels = channels;
            }
        }
        return new CellNetwork("UserSpaceNetwork", stem, blocks, Identity(), channels, options.NumClasses);
    }
}
