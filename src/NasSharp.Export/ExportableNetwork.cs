using NasSharp.Spaces;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using static TorchSharp.torch;

namespace NasSharp.Export;

/// <summary>The input shape and classifier width a network is rebuilt with (what `nas train` used: 3×32×32, 10 classes).</summary>
public sealed record NetworkShape(int NumClasses = 10, int InputChannels = 3, int ImageSize = 32)
{
    public void Validate()
    {
        if (NumClasses < 1) throw new NasInputException($"--classes must be at least 1, got {NumClasses}.");
        if (InputChannels < 1) throw new NasInputException($"--input-channels must be at least 1, got {InputChannels}.");
        if (ImageSize < 8) throw new NasInputException($"--input-size must be at least 8, got {ImageSize}.");
    }
}

/// <summary>A network ready to export (eval mode), the architecture it was built from and its input shape.</summary>
public sealed record ExportableNetwork(nn.Module<Tensor, Tensor> Network, Architecture Architecture, NetworkShape Shape)
{
    public string Description => $"{Architecture.Space} {SearchSpaces.Get(Architecture.Space).Format(Architecture)}";

    /// <summary>
    /// The network of a `nas train` checkpoint: the header names the space and architecture (and, in newer checkpoints, the
    /// classes, input channels and image size — else <paramref name="fallback"/> is used); the weights are the model state that
    /// follows it. The space must be registered (built in, or loaded with --space-file first).
    /// </summary>
    public static ExportableNetwork FromCheckpoint(string path, NetworkShape fallback)
    {
        if (!File.Exists(path)) throw new NasInputException($"Checkpoint '{path}' not found; 'nas train --checkpoint FILE' writes one.");
        var info = Checkpoint.ReadInfo(path);
        var shape = new NetworkShape(
            info.NumClasses > 0 ? info.NumClasses : fallback.NumClasses,
            info.InputChannels > 0 ? info.InputChannels : fallback.InputChannels,
            info.ImageSize > 0 ? info.ImageSize : fallback.ImageSize);
        shape.Validate();
        ISearchSpace space;
        try { space = SearchSpaces.Get(info.Space); }
        catch (NasInputException)
        {
            throw new NasInputException($"Checkpoint '{path}' is of space '{info.Space}', which is not built in; pass its definition with --space-file.");
        }
        var architecture = space.Parse(info.Architecture);
        var net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = shape.NumClasses, InputChannels = shape.InputChannels });
        LoadWeights(path, net, $"{info.Space} {info.Architecture}");
        net.eval();
        return new ExportableNetwork(net, architecture, shape);
    }

    /// <summary>The untrained network of <paramref name="architecture"/>, weights drawn from torch's generator seeded with <paramref name="seed"/>.</summary>
    public static ExportableNetwork Untrained(Architecture architecture, NetworkShape shape, int seed)
    {
        shape.Validate();
        manual_seed(seed);
        var net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = shape.NumClasses, InputChannels = shape.InputChannels });
        net.eval();
        return new ExportableNetwork(net, architecture, shape);
    }

    /// <summary>
    /// Loads the model state of a checkpoint (header: magic string, version int, JSON info; then the module state, then the
    /// optimizer state, which export does not need).
    /// </summary>
    private static void LoadWeights(string path, nn.Module net, string what)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            reader.ReadString();
            reader.ReadInt32();
            reader.ReadString();
            net.load(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or OverflowException or FormatException)
        {
            throw new NasDataException($"Checkpoint '{path}' ({what}) is damaged or does not fit the network built from its header: {e.Message}", e);
        }
    }
}
