using NasSharp.Spaces.UserDefined;
using NasSharp.Torch.Networks.Cells;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks;

/// <summary>
/// The primitive library of user-defined spaces (docs/spaces.md) as TorchSharp modules, each C → C channels at the same
/// resolution (stride 1, "same" padding): conv = ReLU-Conv-BN (NB201's), sep_conv = DARTS' doubled separable conv,
/// dil_conv = DARTS' dilated conv (padding d·(k−1)/2), pools k×k with padding k/2, identity, zero.
/// </summary>
public static class UserSpaceOps
{
    /// <summary>The module of one op; null for <see cref="UserPrimitive.Zero"/> (an edge that adds nothing).</summary>
    public static Module<Tensor, Tensor>? Create(UserOp op, long c, bool batchNorm)
    {
        long k = op.Kernel, pad = op.Kernel / 2;
        return op.Primitive switch
        {
            UserPrimitive.Conv => Layers.ReluConvBn(c, c, k, 1, pad, batchNorm),
            UserPrimitive.SepConv => DartsOps.SepConv(c, c, k, 1, pad, batchNorm),
            UserPrimitive.DilConv => DartsOps.DilConv(c, c, k, 1, op.Dilation * (k - 1) / 2, op.Dilation, batchNorm),
            UserPrimitive.AvgPool => AvgPool2d(k, stride: 1, padding: pad, count_include_pad: false),
            UserPrimitive.MaxPool => MaxPool2d(k, stride: 1, padding: pad),
            UserPrimitive.Identity => Identity(),
            _ => null,
        };
    }

    /// <summary>Edge-op factory for <see cref="EdgeOpCell"/>: op names of <paramref name="space"/>.</summary>
    public static EdgeOpFactory EdgeFactory(UserSpace space, bool batchNorm) => (name, c) => Create(Find(space, name), c, batchNorm);

    /// <summary>Node-op factory for <see cref="NodeOpCell"/>, which needs a module for every node: zero becomes a module of zeros.</summary>
    public static NodeOpFactory NodeFactory(UserSpace space, bool batchNorm) => (name, c) => Create(Find(space, name), c, batchNorm) ?? new DartsOps.Zero(1);

    private static UserOp Find(UserSpace space, string name) =>
        space.UserOps.FirstOrDefault(o => o.Name == name)
        ?? throw new NasInputException($"Space '{space.Name}' has no op '{name}'; known: {string.Join(", ", space.UserOps.Select(o => o.Name))}.");
}
