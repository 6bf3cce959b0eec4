using NasSharp.Spaces;
using NasSharp.Spaces.Mbv3;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>How an MBv3 sub-network is built. Defaults: the OFA tutorial's supernet widths (w = 1.2), 10 classes, 3 channels.</summary>
public sealed record Mbv3NetworkOptions
{
    public int NumClasses { get; init; } = 10;
    public int InputChannels { get; init; } = 3;
    /// <summary>Multiplies every width (rounded to a multiple of 8, as OFA's make_divisible); 1.0 = the tutorial's widths.</summary>
    public double WidthMultiplier { get; init; } = 1.0;
    public double Dropout { get; init; } = 0.1;
    public bool BatchNorm { get; init; } = true;

    internal void Validate()
    {
        if (NumClasses < 1 || InputChannels < 1) throw new NasInputException($"NumClasses and InputChannels must be positive (got {NumClasses}, {InputChannels}).");
        if (WidthMultiplier is <= 0 or > 4 || double.IsNaN(WidthMultiplier)) throw new NasInputException($"Width multiplier must be in (0, 4], got {WidthMultiplier}.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) throw new NasInputException($"Dropout must be in [0, 1), got {Dropout}.");
    }
}

/// <summary>
/// A once-for-all MobileNetV3 sub-network (the layer list OFA's note10 latency table describes): stem Conv3×3/2 → 24, BN,
/// h-swish; a fixed 24 → 24 depth-wise block; 5 stages of inverted-residual blocks (widths 32, 48, 96, 136, 192;
/// first-block strides 2, 2, 2, 1, 2; squeeze-excite in stages 2, 4, 5; h-swish in stages 3-5, ReLU before), residual on every
/// non-first block; final 1×1 → 1152, BN, h-swish; global pool; 1×1 → 1536 (no BN), h-swish; dropout; Linear.
/// Kernel, expand ratio and depth per stage come from the <see cref="Mbv3Config"/>; the resolution is the input's.
/// </summary>
public sealed class Mbv3Network : Module<Tensor, Tensor>, INasNetwork
{
    private static readonly int[] StageWidth = [32, 48, 96, 136, 192];
    private static readonly int[] StageStride = [2, 2, 2, 1, 2];
    private static readonly bool[] StageSe = [false, true, false, true, true];
    private static readonly bool[] StageHswish = [false, false, true, true, true];

    private readonly Sequential first_conv, final_expand_layer, feature_mix_layer;
    private readonly ModuleList<Mbv3Block> blocks;
    private readonly AdaptiveAvgPool2d global_pooling;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public Mbv3Network(Mbv3Config config, Mbv3NetworkOptions options) : base("Mbv3Network")
    {
        options.Validate();
        Config = config;
        long W(int c) => MakeDivisible(c * options.WidthMultiplier);
        bool bn = options.BatchNorm;
        long stem = W(24), last = W(1152), mix = W(1536);
        first_conv = Sequential(("conv", Conv2d(options.InputChannels, stem, 3, stride: 2, padding: 1, bias: false)), ("bn", Layers.Norm(stem, bn)), ("act", Hardswish()));
        var list = new List<Mbv3Block> { new(stem, stem, 3, 1, 1, false, false, bn) };
        long cin = stem;
        for (int s = 0; s < Mbv3Config.Stages; s++)
            for (int j = 0; j < config.Depths[s]; j++)
            {
                int i = 4 * s + j;
                long cout = W(StageWidth[s]);
                list.Add(new Mbv3Block(cin, cout, config.Kernels[i], config.Expands[i], j == 0 ? StageStride[s] : 1, StageSe[s], StageHswish[s], bn));
                cin = cout;
            }
        blocks = new ModuleList<Mbv3Block>(list.ToArray());
        final_expand_layer = Sequential(("conv", Conv2d(cin, last, 1, bias: false)), ("bn", Layers.Norm(last, bn)), ("act", Hardswish()));
        global_pooling = AdaptiveAvgPool2d(1);
        feature_mix_layer = Sequential(("conv", Conv2d(last, mix, 1, bias: false)), ("act", Hardswish()));
        dropout = Dropout(options.Dropout);
        classifier = Linear(mix, options.NumClasses);
        FeatureChannels = last;
        RegisterComponents();
    }

    public static Mbv3Network Create(Architecture arch, Mbv3NetworkOptions? options = null) =>
        new(Mbv3Space.ToConfig(arch), options ?? new Mbv3NetworkOptions());

    /// <summary>The NetworkFactory entry: tutorial widths with the factory's classes, input channels and BatchNorm switch.</summary>
    public static Mbv3Network Create(Architecture arch, NetworkOptions options) =>
        Create(arch, new Mbv3NetworkOptions { NumClasses = options.NumClasses, InputChannels = options.InputChannels, BatchNorm = options.BatchNorm });

    public Mbv3Config Config { get; }
    public long FeatureChannels { get; }
    public int BlockCount => blocks.Count;

    /// <summary>OFA's make_divisible(v, 8): round to the nearest multiple of 8, never below 90 % of v.</summary>
    public static long MakeDivisible(double v, int divisor = 8)
    {
        long n = Math.Max(divisor, (long)(v + divisor / 2.0) / divisor * divisor);
        return n < 0.9 * v ? n + divisor : n;
    }

    public Tensor Features(Tensor input)
    {
        var x = first_conv.call(input);
        foreach (var b in blocks) x = b.call(x);
        return final_expand_layer.call(x);
    }

    public override Tensor forward(Tensor input) =>
        classifier.call(dropout.call(feature_mix_layer.call(global_pooling.call(Features(input))).flatten(1)));
}

/// <summary>
/// OFA's MBConv: [1×1 expand → BN → act] (absent at expand 1) → k×k depth-wise (stride) → BN → act → [squeeze-excite] →
/// 1×1 project → BN; plus the input when stride 1 and widths match. Hidden width = make_divisible(C_in · e).
/// </summary>
public sealed class Mbv3Block : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>? inverted_bottleneck, se;
    private readonly Sequential depth_conv, point_linear;
    private readonly bool residual;

    public Mbv3Block(long cin, long cout, int kernel, int expand, int stride, bool useSe, bool hswish, bool bn) : base("Mbv3Block")
    {
        long mid = Mbv3Network.MakeDivisible(cin * (double)expand);
        Module<Tensor, Tensor> Act() => hswish ? Hardswish() : ReLU();
        if (expand != 1)
            inverted_bottleneck = Sequential(("conv", Conv2d(cin, mid, 1, bias: false)), ("bn", Layers.Norm(mid, bn)), ("act", Act()));
        else mid = cin;
        depth_conv = Sequential(("conv", Conv2d(mid, mid, kernel, stride: stride, padding: kernel / 2, groups: mid, bias: false)), ("bn", Layers.Norm(mid, bn)), ("act", Act()));
        if (useSe) se = new SqueezeExcite(mid);
        point_linear = Sequential(("conv", Conv2d(mid, cout, 1, bias: false)), ("bn", Layers.Norm(cout, bn)));
        residual = stride == 1 && cin == cout;
        RegisterComponents();
    }

    /// <summary>Whether the block adds its input to its output (stride 1, equal widths).</summary>
    public bool Residual => residual;

    public override Tensor forward(Tensor x)
    {
        var h = inverted_bottleneck is null ? x : inverted_bottleneck.call(x);
        h = depth_conv.call(h);
        if (se is not null) h = se.call(h);
        h = point_linear.call(h);
        return residual ? h + x : h;
    }

    /// <summary>OFA's SEModule (reduction 4): x · h-sigmoid(W2 · ReLU(W1 · avgpool(x) + b1) + b2).</summary>
    public sealed class SqueezeExcite : Module<Tensor, Tensor>
    {
        private readonly Sequential fc;

        public SqueezeExcite(long c) : base("SqueezeExcite")
        {
            long r = Mbv3Network.MakeDivisible(c / 4.0);
            fc = Sequential(("reduce", Conv2d(c, r, 1, bias: true)), ("relu", ReLU()), ("expand", Conv2d(r, c, 1, bias: true)), ("h_sigmoid", Hardsigmoid()));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => x * fc.call(x.mean([2L, 3L], keepdim: true));
    }
}
