using NasSharp.Spaces;
using NasSharp.Torch.Networks.Nb101;
using NasSharp.Torch.Networks.Nb201;
using static TorchSharp.torch;

namespace NasSharp.Torch.Networks;

/// <summary>Builds the published benchmark network of an architecture (dispatch on <see cref="Architecture.Space"/>).</summary>
public static class NetworkFactory
{
    /// <summary>
    /// The network for <paramref name="arch"/> of "nb201" or "nb101" with PyTorch's default initialisation drawn from torch's
    /// global generator (seed it with <c>torch.manual_seed</c> first for reproducible weights). The module is in train mode.
    /// Throws <see cref="NasInputException"/> for any architecture it cannot build.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(Architecture arch, NetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arch);
        options ??= new NetworkOptions();
        return arch.Space.ToLowerInvariant() switch
        {
            "nb201" => Nb201Network.Build(arch, options),
            "nb101" => Nb101Network.Build(arch, options),
            "darts" => DartsNetwork.Create(arch, options), // DARTS CIFAR evaluation network, C=36, 20 cells (docs/spaces.md)
            "mbv3" => Mbv3Network.Create(arch, options),   // once-for-all MobileNetV3 sub-network, tutorial widths
            // user-defined spaces (--space-file) are registered under their file's name
            _ when SearchSpaces.All.FirstOrDefault(s => string.Equals(s.Name, arch.Space, StringComparison.OrdinalIgnoreCase)) is NasSharp.Spaces.UserDefined.UserSpace u
                => UserSpaceNetwork.Build(u, arch, options),
            _ => throw new NasInputException(
                $"No network builder for search space '{arch.Space}'; networks can be built for nb201, nb101, darts, mbv3 and user-defined spaces (--space-file)."),
        };
    }
}
