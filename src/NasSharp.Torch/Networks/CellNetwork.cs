using NasSharp.Torch.Networks.Cells;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>
/// The generic macro network every cell space shares: stem → blocks (cells and reduction blocks, in order) → lastact
/// (e.g. BN-ReLU, or identity) → global average pool → Linear(classifier). A new cell space supplies its stem, its cells
/// (an <see cref="EdgeOpCell"/> or <see cref="NodeOpCell"/> with its own op factory) and its reduction blocks.
/// Module names: stem, cells.k, lastact, global_pooling, classifier. Children are invoked with <c>call</c> so hooks fire.
/// </summary>
public sealed class CellNetwork : Module<Tensor, Tensor>, INasNetwork
{
    private readonly Module<Tensor, Tensor> stem, lastact, global_pooling;
    private readonly ModuleList<Module<Tensor, Tensor>> cells;
    private readonly Linear classifier;

    public CellNetwork(string name, Module<Tensor, Tensor> stem, IEnumerable<Module<Tensor, Tensor>> blocks,
                       Module<Tensor, Tensor> lastact, long featureChannels, int numClasses) : base(name)
    {
        this.stem = stem;
        cells = new ModuleList<Module<Tensor, Tensor>>(blocks.ToArray());
        this.lastact = lastact;
        global_pooling = AdaptiveAvgPool2d(1);
        classifier = Linear(featureChannels, numClasses);
        FeatureChannels = featureChannels;
        RegisterComponents();
    }

    public long FeatureChannels { get; }

    /// <summary>The stem, cells and reduction blocks in forward order.</summary>
    public IEnumerable<Module<Tensor, Tensor>> Blocks => cells;

    /// <summary>True when some cell's output is cut off from its input, so the network's logits do not depend on the image.</summary>
    public bool IsDisconnected => cells.Any(c => c is EdgeOpCell { IsDisconnected: true });

    public Tensor Features(Tensor input)
    {
        var x = stem.call(input);
        foreach (var cell in cells) x = cell.call(x);
        return lastact.call(x);
    }

    public override Tensor forward(Tensor input) =>
        classifier.call(global_pooling.call(Features(input)).flatten(1));
}
