using NasSharp.Torch.Interop;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Nb201;

/// <summary>
/// NB201's reduction block between stages (AutoDL ResNetBasicblock, stride 2):
/// conv_b(conv_a(x)) + downsample(x), with conv_a = ReLU-Conv3x3(stride 2)-BN, conv_b = ReLU-Conv3x3-BN and
/// downsample = AvgPool2d(2, 2) → Conv1x1 (no BN, no ReLU).
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv_a, conv_b, downsample;

    public ResNetBasicBlock(long cIn, long cOut, bool batchNorm) : base(nameof(ResNetBasicBlock))
    {
        conv_a = Layers.ReluConvBn(cIn, cOut, 3, 2, 1, batchNorm);
        conv_b = Layers.ReluConvBn(cOut, cOut, 3, 1, 1, batchNorm);
        downsample = Sequential(
            ("avg", AvgPool2d(2, stride: 2, padding: 0)),
            ("conv", Conv2d(cIn, cOut, 1, stride: 1, padding: 0L, bias: false)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv_b.call(conv_a.call(x)).Plus(downsample.call(x));
}
