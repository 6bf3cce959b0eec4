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
    /// <summary>The rest of what shapes the trained weights (null in checkpoints written before it was recorded).</summary>
    public TrainingRecipe? Recipe { get; init; }

    /// <summary>
    /// Refuses to continue this checkpoint as <paramref name="wanted"/> when anything that changes the result differs;
    /// the message lists every differing option with its stored and its new value. Compares effective values (the
    /// number of training images, not whether --limit was given), so spelling out a default never refuses.
    /// </summary>
    public void CheckResumableAs(CheckpointInfo wanted, string path)
    {
        var diffs = new List<string>();
        void Same<T>(string option, T stored, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(stored, now)) diffs.Add($"{option} {Show(stored)} (now {Show(now)})");
        }
        Same("--space", Space.ToLowerInvariant(), wanted.Space.ToLowerInvariant());
        Same("--arch", Architecture, wanted.Architecture);
        Same("--data", Dataset, wanted.Dataset);
        Same("--epochs", Epochs, wanted.Epochs);
        Same("--batch", BatchSize, wanted.BatchSize);
        Same("--seed", Seed, wanted.Seed);
        if (Recipe is { } a && wanted.Recipe is { } b)
        {
            Same("--lr", a.LearningRate, b.LearningRate);
            Same("--weight-decay", a.WeightDecay, b.WeightDecay);
            Same("momentum", a.Momentum, b.Momentum);
            Same("nesterov", a.Nesterov, b.Nesterov);
            Same("--no-augment", !a.Augment, !b.Augment);
            Same("crop padding", a.CropPadding, b.CropPadding);
            Same("--limit (training images)", a.TrainImages, b.TrainImages);
        }
        if (diffs.Count > 0)
            throw new NasInputException($"Cannot resume {path}: it was trained with {string.Join(", ", diffs)}; resume with the checkpoint's options or train without --resume into another --checkpoint.");
    }

    private static string Show<T>(T value) => value switch
    {
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "on" : "off",
        _ => value?.ToString() ?? "(none)",
    };
}

/// <summary>The training options besides epochs, batch and seed that a resumed run must repeat to end like an uninterrupted one.</summary>
public sealed record TrainingRecipe(double LearningRate, double WeightDecay, double Momentum, bool Nesterov, bool Augment, int CropPadding, int TrainImages)
{
    public static TrainingRecipe Of(TrainingOptions options, int trainImages) =>
        new(options.LearningRate, options.WeightDecay, options.Momentum, options.Nesterov, options.Augment, options.CropPadding, trainImages);
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
        try
        {
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A failed save (disk full) must not leave a half-written temporary file; the previous checkpoint stays intact.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new IOException($"Checkpoint {path} could not be written ({e.Message}); the previous checkpoint, if any, is intact.", e);
        }
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
