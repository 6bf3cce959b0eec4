using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks.Cells;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Nb201;

/// <summary>The five NB201 cell operations (AutoDL cell_operations.py, affine BN with running statistics).</summary>
public static class Nb201Ops
{
    /// <summary>The op factory of NB201 cells; <paramref name="batchNorm"/> false turns every BN into an identity.</summary>
    public static EdgeOpFactory Factory(bool batchNorm) => (op, c) => op switch
    {
        "none" => null,
        "skip_connect" => Identity(),
        "nor_conv_1x1" => Layers.ReluConvBn(c, c, 1, 1, 0, batchNorm),
        "nor_conv_3x3" => Layers.ReluConvBn(c, c, 3, 1, 1, batchNorm),
        // C_in == C_out inside NB201 cells, so AutoDL's optional 1x1 preprocessing never exists.
        "avg_pool_3x3" => AvgPool2d(3, stride: 1, padding: 1, count_include_pad: false),
        _ => throw new NasInputException(
            $"Unknown NB201 operation '{op}'; known: {string.Join(", ", Nb201Space.Ops.Select(o => o.Name))}."),
    };
}
