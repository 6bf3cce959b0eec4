using NasSharp.Spaces;
using NasSharp.Spaces.Darts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>How the DARTS evaluation network is sized; the defaults are DARTS' CIFAR-10 evaluation setting.</summary>
public sealed record DartsNetworkOptions
{
    /// <summary>Initial channels C (36 for CIFAR-10); the stem has 3C, the stages C, 2C, 4C per node.</summary>
    public int InitChannels { get; init; } = 36;
    /// <summary>Number of cells (20); reduction cells sit at Layers/3 and 2·Layers/3.</summary>
    public int Layers { get; init; } = 20;
    /// <summary>Build the auxiliary head after cell 2·Layers/3 (its logits come from <see cref="DartsNetwork.ForwardWithAuxiliary"/> in train mode).</summary>
    public bool Auxiliary { get; init; }
    /// <summary>Drop-path probability applied in train mode to every non-identity op output (DARTS ramps it 0 → 0.2 over training).</summary>
    public double DropPathProb { get; init; }
    public int NumClasses { get; init; } = 10;
    public int InputChannels { get; init; } = 3;
    public bool BatchNorm { get; init; } = true;

    internal void Validate()
    {
        if (InitChannels < 1 || InitChannels % 2 != 0) throw new NasInputException($"DARTS init channels must be a positive even number (FactorizedReduce halves them), got {InitChannels}.");
        if (Layers < 3) throw new NasInputException($"A DARTS network needs at least 3 cells (two are reduction cells), got {Layers}.");
        if (DropPathProb is < 0 or >= 1 || double.IsNaN(DropPathProb)) throw new NasInputException($"Drop-path probability must be in [0, 1), got {DropPathProb}.");
        if (NumClasses < 1 || InputChannels < 1) throw new NasInputException($"NumClasses and InputChannels must be positive (got {NumClasses}, {InputChannels}).");
    }
}

/// <summary>
/// DARTS' CIFAR evaluation network (NetworkCIFAR): stem Conv3×3(3C, no bias)-BN; <c>Layers</c> cells, each reading the two
/// previous cell outputs (s0 = c_{k-2} preprocessed by a 1×1 ReLUConvBN, or by FactorizedReduce right after a reduction;
/// s1 = c_{k-1} by a 1×1 ReLUConvBN); channels double at the reduction cells (Layers/3, 2·Layers/3), whose edges from
/// the cell inputs have stride 2; every cell outputs the concatenation of its 4 intermediate nodes; global average
/// pool → Linear. Optional auxiliary head (after cell 2·Layers/3, for 8×8 maps) and drop-path.
/// Parameter count excluding the auxiliary head, DARTS-V2 at C=36, 20 cells: 3,349,342 (the DARTS logs' "param size = 3.349342MB").
/// </summary>
public sealed class DartsNetwork : Module<Tensor, Tensor>, INasNetwork
{
    private readonly Sequential stem;
    private readonly ModuleList<DartsCell> cells;
    private readonly AdaptiveAvgPool2d global_pooling;
    private readonly Linear classifier;
    private readonly Module<Tensor, Tensor>? auxiliary_head;
    private readonly int auxAfter;

    public DartsNetwork(DartsGenotype genotype, DartsNetworkOptions options) : base("DartsNetwork")
    {
        options.Validate();
        DartsSpace.Validate(genotype);
        Options = options;
        DropPathProb = options.DropPathProb;
        long c = options.InitChannels, cCurr = 3 * c;
        stem = Sequential(
            ("0", Conv2d(options.InputChannels, cCurr, 3, padding: 1, bias: false)),
            ("1", Layers.Norm(cCurr, options.BatchNorm)));
        long cPrevPrev = cCurr, cPrev = cCurr;
        cCurr = c;
        bool reductionPrev = false;
        var list = new List<DartsCell>();
        long cAux = 0;
        auxAfter = 2 * options.Layers / 3;
        for (int i = 0; i < options.Layers; i++)
        {
            bool reduction = i == options.Layers / 3 || i == 2 * options.Layers / 3;
            if (reduction) cCurr *= 2;
            var cell = new DartsCell(genotype, cPrevPrev, cPrev, cCurr, reduction, reductionPrev, options.BatchNorm);
            list.Add(cell);
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, cell.Multiplier * cCurr);
            if (i == auxAfter) cAux = cPrev;
        }
        cells = new ModuleList<DartsCell>(list.ToArray());
        if (options.Auxiliary) auxiliary_head = AuxiliaryHead(cAux, options.NumClasses, options.BatchNorm);
        global_pooling = AdaptiveAvgPool2d(1);
        classifier = Linear(cPrev, options.NumClasses);
        FeatureChannels = cPrev;
        RegisterComponents();
    }

    /// <summary>Builds the network of a DARTS architecture (see <see cref="DartsSpace"/>).</summary>
    public static DartsNetwork Create(Architecture arch, DartsNetworkOptions? options = null) =>
        new(DartsSpace.ToGenotype(arch), options ?? new DartsNetworkOptions());

    /// <summary>
    /// The NetworkFactory entry: DARTS defaults (C=36, 20 cells, no auxiliary head, no drop-path) with the factory's classes,
    /// input channels and BatchNorm switch.
    /// </summary>
    public static DartsNetwork Create(Architecture arch, NetworkOptions options) =>
        Create(arch, new DartsNetworkOptions { NumClasses = options.NumClasses, InputChannels = options.InputChannels, BatchNorm = options.BatchNorm });

    public DartsNetworkOptions Options { get; }
    /// <summary>Drop-path probability used in train mode; set it per epoch for DARTS' linear schedule.</summary>
    public double DropPathProb { get; set; }
    public long FeatureChannels { get; }

    /// <summary>Parameters outside the auxiliary head (what DARTS reports as the model size).</summary>
    public long MainParameterCount() =>
        named_parameters().Where(p => !p.name.StartsWith("auxiliary_head", StringComparison.Ordinal)).Sum(p => p.parameter.numel());

    public Tensor Features(Tensor input) => Run(input, out _);

    public override Tensor forward(Tensor input) => Head(Run(input, out _));

    /// <summary>Logits and, in train mode with an auxiliary head, the auxiliary logits (else null).</summary>
    public (Tensor Logits, Tensor? Auxiliary) ForwardWithAuxiliary(Tensor input)
    {
        var features = Run(input, out var aux);
        return (Head(features), aux);
    }

    private Tensor Head(Tensor features) => classifier.call(global_pooling.call(features).flatten(1));

    private Tensor Run(Tensor input, out Tensor? aux)
    {
        aux = null;
        var s0 = stem.call(input);
        var s1 = s0;
        double p = training ? DropPathProb : 0;
        for (int i = 0; i < cells.Count; i++)
        {
            (s0, s1) = (s1, cells[i].Forward(s0, s1, p));
            if (i == auxAfter && auxiliary_head is not null && training) aux = auxiliary_head.call(s1);
        }
        return s1;
    }

    /// <summary>DARTS' AuxiliaryHeadCIFAR (input 8×8): ReLU, AvgPool 5/3 → 2×2, Conv1×1 128-BN-ReLU, Conv2×2 768-BN-ReLU, Linear.</summary>
    private static Module<Tensor, Tensor> AuxiliaryHead(long c, int classes, bool bn) =>
        Sequential(
            ("features", Sequential(
                ("0", ReLU()),
                ("1", AvgPool2d(5, 3, 0, count_include_pad: false)),
                ("2", Conv2d(c, 128, 1, bias: false)),
                ("3", Layers.Norm(128, bn)),
                ("4", ReLU()),
                ("5", Conv2d(128, 768, 2, bias: false)),
                ("6", Layers.Norm(768, bn)),
                ("7", ReLU()))),
            ("flatten", Flatten()),
            ("classifier", Linear(768, classes)));
}

/// <summary>One DARTS cell of the evaluation network (see <see cref="DartsNetwork"/>).</summary>
public sealed class DartsCell : Module
{
    private readonly Module<Tensor, Tensor> preprocess0, preprocess1;
    private readonly ModuleList<Module<Tensor, Tensor>> _ops;
    private readonly int[] inputs;
    private readonly bool[] identity;
    private readonly int[] concat;

    public DartsCell(DartsGenotype genotype, long cPrevPrev, long cPrev, long c, bool reduction, bool reductionPrev, bool batchNorm)
        : base(reduction ? "DartsReductionCell" : "DartsNormalCell")
    {
        Reduction = reduction;
        preprocess0 = reductionPrev ? new DartsOps.FactorizedReduce(cPrevPrev, c, batchNorm) : DartsOps.ReluConvBn(cPrevPrev, c, 1, 1, 0, batchNorm);
        preprocess1 = DartsOps.ReluConvBn(cPrev, c, 1, 1, 0, batchNorm);
        var cell = genotype.Cell(reduction);
        concat = genotype.Concat(reduction).ToArray();
        inputs = cell.Select(e => e.Input).ToArray();
        identity = new bool[cell.Count];
        var ops = new List<Module<Tensor, Tensor>>();
        for (int k = 0; k < cell.Count; k++)
        {
            int stride = reduction && cell[k].Input < 2 ? 2 : 1;
            ops.Add(DartsOps.Create(cell[k].Op, c, stride, batchNorm));
            identity[k] = DartsOps.IsIdentity(cell[k].Op, stride);
        }
        _ops = new ModuleList<Module<Tensor, Tensor>>(ops.ToArray());
        RegisterComponents();
    }

    public bool Reduction { get; }
    public int Multiplier => concat.Length;
    /// <summary>Source state of each op (0, 1 = preprocessed cell inputs, 2.. = intermediate nodes); ops 2k and 2k+1 sum into node k+2.</summary>
    public IReadOnlyList<int> OpInputs => inputs;
    /// <summary>The states concatenated (along channels) into the cell output.</summary>
    public IReadOnlyList<int> ConcatStates => concat;

    public Tensor Forward(Tensor s0, Tensor s1, double dropPathProb)
    {
        var states = new List<Tensor>(6) { preprocess0.call(s0), preprocess1.call(s1) };
        for (int k = 0; k < inputs.Length; k += 2)
        {
            var h1 = Branch(k, states, dropPathProb);
            var h2 = Branch(k + 1, states, dropPathProb);
            states.Add(h1 + h2);
        }
        return cat(concat.Select(i => states[i]).ToArray(), 1);
    }

    private Tensor Branch(int k, List<Tensor> states, double p)
    {
        var h = _ops[k].call(states[inputs[k]]);
        if (p > 0 && !identity[k])
        {
            // Drop the whole branch per sample, rescaling survivors by 1/keep (DARTS utils.drop_path).
            double keep = 1 - p;
            var mask = torch.empty(h.shape[0], 1, 1, 1, dtype: h.dtype, device: h.device).bernoulli_(keep);
            h = h.div(keep).mul(mask);
        }
        return h;
    }
}
