using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>Small building blocks shared by the benchmark networks.</summary>
public static class Layers
{
    /// <summary>BatchNorm2d (affine, running stats, PyTorch defaults) or, when BN is switched off, an identity.</summary>
    public static Module<Tensor, Tensor> Norm(long channels, bool batchNorm) =>
        batchNorm ? BatchNorm2d(channels) : Identity();

    /// <summary>AutoDL's ReLUConvBN: ReLU → Conv2d(no bias) → BN. Child names relu/conv/bn.</summary>
    public static Module<Tensor, Tensor> ReluConvBn(long cIn, long cOut, long kernel, long stride, long padding, bool batchNorm) =>
        Sequential(
            ("relu", ReLU()),
            ("conv", Conv2d(cIn, cOut, kernel, stride: stride, padding: padding, bias: false)),
            ("bn", Norm(cOut, batchNorm)));

    /// <summary>NB101's ConvBnRelu: Conv2d(no bias) → BN → ReLU. Child names conv/bn/relu.</summary>
    public static Module<Tensor, Tensor> ConvBnRelu(long cIn, long cOut, long kernel, bool batchNorm) =>
        Sequential(
            ("conv", Conv2d(cIn, cOut, kernel, stride: 1, padding: kernel / 2, bias: false)),
            ("bn", Norm(cOut, batchNorm)),
            ("relu", ReLU()));

    /// <summary>Total number of parameter elements (trainable and not; BN running statistics are buffers, not counted).</summary>
    public static long ParameterCount(this Module module) => module.parameters().Sum(p => p.numel());
}
