using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>
/// The DARTS evaluation-network operations (Liu et al., 2019; DARTS cnn/operations.py semantics), all at C → C channels:
/// ReLU-first convolutions with a BatchNorm after each pointwise step; stride 2 on the reduction cell's edges from its inputs.
/// Child names follow DARTS (op.0, op.1, …) so parameter lists line up with the reference implementation.
/// </summary>
public static class DartsOps
{
    /// <summary>True for ops that DARTS' drop-path skips: the stride-1 identity.</summary>
    public static bool IsIdentity(string op, int stride) => op == "skip_connect" && stride == 1;

    public static Module<Tensor, Tensor> Create(string op, long c, int stride, bool batchNorm) => op switch
    {
        "none" => new Zero(stride),
        "avg_pool_3x3" => AvgPool2d(3, stride, 1, count_include_pad: false),
        "max_pool_3x3" => MaxPool2d(3, stride, 1),
        "skip_connect" => stride == 1 ? Identity() : new FactorizedReduce(c, c, batchNorm),
        "sep_conv_3x3" => SepConv(c, c, 3, stride, 1, batchNorm),
        "sep_conv_5x5" => SepConv(c, c, 5, stride, 2, batchNorm),
        "dil_conv_3x3" => DilConv(c, c, 3, stride, 2, 2, batchNorm),
        "dil_conv_5x5" => DilConv(c, c, 5, stride, 4, 2, batchNorm),
        _ => throw new NasInputException($"No DARTS network op '{op}'; known: none, avg_pool_3x3, max_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5."),
    };

    /// <summary>ReLU → Conv(k, no bias) → BN: DARTS' ReLUConvBN (used 1×1 to preprocess cell inputs).</summary>
    public static Module<Tensor, Tensor> ReluConvBn(long cIn, long cOut, long k, long stride, long padding, bool batchNorm) =>
        Sequential(("0", ReLU()), ("1", Conv2d(cIn, cOut, k, stride: stride, padding: padding, bias: false)), ("2", Layers.Norm(cOut, batchNorm)));

    /// <summary>ReLU → depthwise dilated conv → pointwise conv → BN.</summary>
    public static Module<Tensor, Tensor> DilConv(long cIn, long cOut, long k, long stride, long padding, long dilation, bool batchNorm) =>
        Sequential(
            ("0", ReLU()),
            ("1", Conv2d(cIn, cIn, k, stride: stride, padding: padding, dilation: dilation, groups: cIn, bias: false)),
            ("2", Conv2d(cIn, cOut, 1, bias: false)),
            ("3", Layers.Norm(cOut, batchNorm)));

    /// <summary>Two stacked depthwise-separable convs (the first carries the stride), each ReLU → dw → pw → BN.</summary>
    public static Module<Tensor, Tensor> SepConv(long cIn, long cOut, long k, long stride, long padding, bool batchNorm) =>
        Sequential(
            ("0", ReLU()),
            ("1", Conv2d(cIn, cIn, k, stride: stride, padding: padding, groups: cIn, bias: false)),
            ("2", Conv2d(cIn, cIn, 1, bias: false)),
            ("3", Layers.Norm(cIn, batchNorm)),
            ("4", ReLU()),
            ("5", Conv2d(cIn, cIn, k, stride: 1, padding: padding, groups: cIn, bias: false)),
            ("6", Conv2d(cIn, cOut, 1, bias: false)),
            ("7", Layers.Norm(cOut, batchNorm)));

    /// <summary>Zero output (shape of a stride-s op): DARTS' 'none'.</summary>
    public sealed class Zero(int stride) : Module<Tensor, Tensor>("Zero")
    {
        public int Stride => stride;

        public override Tensor forward(Tensor x) => stride == 1
            ? x.mul(0.0)
            : x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)].mul(0.0);
    }

    /// <summary>
    /// Halves the resolution without losing pixels: ReLU, then two stride-2 1×1 convs, the second on the input shifted by one
    /// pixel, concatenated (C_out/2 each) → BN.
    /// </summary>
    public sealed class FactorizedReduce : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> relu, conv_1, conv_2, bn;

        public FactorizedReduce(long cIn, long cOut, bool batchNorm) : base("FactorizedReduce")
        {
            if (cOut % 2 != 0) throw new NasInputException($"FactorizedReduce needs an even channel count, got {cOut}.");
            relu = ReLU();
            conv_1 = Conv2d(cIn, cOut / 2, 1, stride: 2, bias: false);
            conv_2 = Conv2d(cIn, cOut / 2, 1, stride: 2, bias: false);
            bn = Layers.Norm(cOut, batchNorm);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var r = relu.call(x);
            var shifted = r[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(1), TensorIndex.Slice(1)];
            return bn.call(cat([conv_1.call(r), conv_2.call(shifted)], 1)).MoveToOuterDisposeScope();
        }
    }
}
