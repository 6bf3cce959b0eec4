using NasSharp.Spaces.Nb101;
using NasSharp.Torch.Networks.Cells;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Nb101;

/// <summary>The three NB101 node operations (nasbench base_ops: Conv-BN-ReLU without conv bias, 3×3 max-pool stride 1 'same').</summary>
public static class Nb101Ops
{
    public static NodeOpFactory Factory(bool batchNorm) => (op, c) => op switch
    {
        "conv3x3-bn-relu" => Layers.ConvBnRelu(c, c, 3, batchNorm),
        "conv1x1-bn-relu" => Layers.ConvBnRelu(c, c, 1, batchNorm),
        "maxpool3x3" => MaxPool2d(3, stride: 1, padding: 1),
        _ => throw new NasInputException(
            $"Unknown NB101 operation '{op}'; interior nodes take one of {string.Join(", ", Nb101Space.InnerOps)}."),
    };
}
