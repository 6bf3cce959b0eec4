using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks.Cells;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Nb201;

/// <summary>
/// The NAS-Bench-201 network (AutoDL TinyNetwork): stem Conv3x3(no bias)-BN; N cells at C; ResNet reduction to 2C;
/// N cells at 2C; reduction to 4C; N cells at 4C; lastact BN-ReLU; global average pool; Linear(4C → classes).
/// All cells share the architecture's genotype. Module names follow AutoDL (stem, cells.k, lastact, global_pooling, classifier).
/// </summary>
public static class Nb201Network
{
    public static CellNetwork Build(Architecture arch, NetworkOptions options)
    {
        options.Validate();
        var opIndices = Nb201Space.OpIndices(arch); // validates the shape and op names
        var cellEdges = Nb201Space.EdgeOrder.Select((e, k) => new CellEdge(e.From, e.To, Nb201Space.Ops[opIndices[k]].Name)).ToArray();
        var factory = Nb201Ops.Factory(options.BatchNorm);
        long c = options.Nb201StemChannels;
        bool bn = options.BatchNorm;

        var stem = Sequential(
            ("conv", Conv2d(options.InputChannels, c, 3, stride: 1, padding: 1, bias: false)),
            ("bn", Layers.Norm(c, bn)));
        var blocks = new List<Module<Tensor, Tensor>>();
        long channels = c;
        for (int stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                blocks.Add(new ResNetBasicBlock(channels, channels * 2, bn));
                channels *= 2;
            }
            for (int i = 0; i < options.Nb201CellsPerStage; i++)
                blocks.Add(new EdgeOpCell(Nb201Space.Nodes, cellEdges, channels, factory));
        }
        var lastact = Sequential(("bn", Layers.Norm(channels, bn)), ("relu", ReLU()));
        return new CellNetwork("Nb201Network", stem, blocks, lastact, channels, options.NumClasses);
    }
}
