using NasSharp.Spaces;
using NasSharp.Spaces.Nb101;
using NasSharp.Torch.Networks.Cells;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Nb101;

/// <summary>
/// The NAS-Bench-101 network (nasbench model_builder): stem Conv3x3-BN-ReLU to 128 channels; 3 stacks of 3 cells,
/// with a 2×2 max-pool (stride 2) and doubled channels before stacks 2 and 3; global average pool; Linear(512 → classes).
/// No BN-ReLU after the last cell. The cell is pruned first (as NB101 does); a cell without an input→output path cannot be built.
/// BatchNorm uses PyTorch's defaults (TF's decay 0.997 would be momentum 0.003; it does not change shapes or counts).
/// </summary>
public static class Nb101Network
{
    public static CellNetwork Build(Architecture arch, NetworkOptions options)
    {
        options.Validate();
        var space = Nb101Space.Instance;
        if (!space.IsValid(arch, out var reason))
            throw new NasInputException($"Cannot build the NB101 network of {Describe(arch)}: {reason}.");
        var cell = Nb101Space.Prune(arch)!;
        var adjacency = cell.Adjacency();
        var factory = Nb101Ops.Factory(options.BatchNorm);
        bool bn = options.BatchNorm;

        long channels = options.Nb101StemChannels;
        var stem = Layers.ConvBnRelu(options.InputChannels, channels, 3, bn);
        var blocks = new List<Module<Tensor, Tensor>>();
        long inChannels = channels;
        for (int stack = 0; stack < options.Nb101Stacks; stack++)
        {
            if (stack > 0)
            {
                blocks.Add(MaxPool2d(2, stride: 2));
                channels *= 2;
            }
            for (int m = 0; m < options.Nb101CellsPerStack; m++)
            {
                blocks.Add(new NodeOpCell(adjacency, cell.NodeOps!, inChannels, channels, factory, bn));
                inChannels = channels;
            }
        }
        return new CellNetwork("Nb101Network", stem, blocks, Identity(), channels, options.NumClasses);
    }

    private static string Describe(Architecture arch)
    {
        try { return Nb101Space.Instance.Format(arch); } catch (Exception) { return arch.ToString(); }
    }
}
