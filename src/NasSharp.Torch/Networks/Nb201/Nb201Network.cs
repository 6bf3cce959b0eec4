using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks.Cells;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Nb201;

/// <summary>
/// The NAS-Bench-201 network (AutoDL TinyNetwork): stem Conv3x3(no bias)-BN; N cells at C; ResNet reduction to 2C;
/// N cells at 2C; reduction to 4C; N cells at 4C; lastact BN-ReLU; global average pool; Linear(4C → classes).
/// All cells share the architecture's genotype. Module names follow AutoDL (stem, cells.k, lastact, global_pooling, classifier).
/// </summary>
public sealed class Nb201Network : Module<Tensor, Tensor>, INasNetwork
{
    private readonly Module<Tensor, Tensor> stem, lastact, global_pooling;
    private readonly ModuleList<Module<Tensor, Tensor>> cells;
    private readonly Linear classifier;

    public Nb201Network(Architecture arch, NetworkOptions options) : base(nameof(Nb201Network))
    {
        options.Validate();
        var opIndices = Nb201Space.OpIndices(arch); // validates the shape and op names
        var cellEdges = Nb201Space.EdgeOrder.Select((e, k) => new CellEdge(e.From, e.To, Nb201Space.Ops[opIndices[k]].Name)).ToArray();
        var factory = Nb201Ops.Factory(options.BatchNorm);
        long c = options.Nb201StemChannels;
        int n = options.Nb201CellsPerStage;

        stem = Sequential(
            ("conv", Conv2d(options.InputChannels, c, 3, stride: 1, padding: 1, bias: false)),
            ("bn", Layers.Norm(c, options.BatchNorm)));
        cells = new ModuleList<Module<Tensor, Tensor>>();
        long channels = c;
        for (int stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                cells.Add(new ResNetBasicBlock(channels, channels * 2, options.BatchNorm));
                channels *= 2;
            }
            for (int i = 0; i < n; i++) cells.Add(new EdgeOpCell(Nb201Space.Nodes, cellEdges, channels, factory));
        }
        lastact = Sequential(("bn", Layers.Norm(channels, options.BatchNorm)), ("relu", ReLU()));
        global_pooling = AdaptiveAvgPool2d(1);
        classifier = Linear(channels, options.NumClasses);
        FeatureChannels = channels;
        IsDisconnected = Nb201Space.IsDisconnected(arch);
        RegisterComponents();
    }

    public long FeatureChannels { get; }

    /// <summary>True when every cell outputs zeros (no non-"none" input→output path); the logits then equal the classifier bias.</summary>
    public bool IsDisconnected { get; }

    public Tensor Features(Tensor input)
    {
        var x = stem.call(input);
        foreach (var cell in cells) x = cell.call(x);
        return lastact.call(x);
    }

    public override Tensor forward(Tensor input) =>
        classifier.call(global_pooling.call(Features(input)).flatten(1));
}
