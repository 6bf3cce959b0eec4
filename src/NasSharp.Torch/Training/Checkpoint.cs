using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Torch.Training;

/// <summary>What a checkpoint says about the run that wrote it (checked on resume).</summary>
public sealed record CheckpointInfo(string Space, string Architecture, string Dataset, int Epochs, int BatchSize)
{
    public int EpochsDone { get; init; }
    public long Seed { get; init; }
    /// <summary>The network's input and classifier shape (0 = not recorded: checkpoints written before these fields existed).</summary>
    public int NumClasses { get; init; }
    public int InputChannels { get; init; }
    public int ImageSize { get; init; }
}

/// <summary>
/// One file per checkpoint: a header line "NASSHARP-CHECKPOINT 1", the <see cref="CheckpointInfo"/> as JSON, the model's
/// TorchSharp state (module.save) and the optimizer's state (save_state_dict). Written to a temporary file and renamed,
/// so an interrupted save never leaves a half-written checkpoint behind.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "NASSHARP-CHECKPOINT";
    private const int Version = 1;

    public static void Save(string path, CheckpointInfo info, nn.Module model, OptimizerHelper optimizer)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(JsonSerializer.Serialize(info));
            model.save(writer);
            optimizer.save_state_dict(writer);
        }
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads only the header (to rebuild the right network before loading weights).</summary>
    public static CheckpointInfo ReadInfo(string path)
    {
        using var reader = Open(path);
        return ReadHeader(path, reader);
    }

    public static CheckpointInfo Load(string path, nn.Module model, OptimizerHelper optimizer)
    {
        using var reader = Open(path);
        var info = ReadHeader(path, reader);
        try
        {
            model.load(reader);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new NasDataException($"Checkpoint {path} does not fit this network ({info.Space} {info.Architecture}) or is damaged: {e.Message}", e);
        }
        return info;
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path)) throw new NasDataException($"Checkpoint {path} not found; train without --resume to create it.");
        return new BinaryReader(File.OpenRead(path));
    }

    private static CheckpointInfo ReadHeader(string path, BinaryReader reader)
    {
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException("wrong magic");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"version {version}, expected {Version}");
            return JsonSerializer.Deserialize<CheckpointInfo>(reader.ReadString()) ?? throw new InvalidDataException("empty header");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or IOException)
        {
            throw new NasDataException($"{path} is not a NasSharp checkpoint ({e.Message}).", e);
        }
    }
}
