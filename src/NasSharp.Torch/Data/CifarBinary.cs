using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>
/// Reader for the official CIFAR-10 binary format (cifar-10-batches-bin): records of 1 label byte (0–9) followed by
/// 3,072 pixel bytes (R, G, B planes of 32×32, row-major); no header, n = file size / 3073.
/// </summary>
public static class CifarBinary
{
    public const int RecordSize = 1 + ImageBytes, ImageBytes = 3 * 32 * 32, Classes = 10;

    /// <summary>Reads one or more files (concatenated in the given order); at most <paramref name="limit"/> images.</summary>
    public static ImageDataset Load(IReadOnlyList<string> paths, Normalization? normalization = null, int? limit = null, string name = "cifar10")
    {
        if (paths.Count == 0) throw new NasInputException("No CIFAR-10 file given.");
        var labels = new List<long>();
        var pixels = new List<byte[]>();
        int remaining = limit ?? int.MaxValue;
        foreach (var path in paths)
        {
            if (remaining <= 0) break;
            var bytes = ReadAll(path);
            if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
                throw new NasDataException($"CIFAR-10 file {path} has {bytes.Length} bytes, not a positive multiple of the {RecordSize}-byte record " +
                                           "(1 label + 3072 pixels); it is truncated or not in the CIFAR-10 binary format.");
            int n = Math.Min(bytes.Length / RecordSize, remaining);
            var block = new byte[(long)n * ImageBytes];
            for (int r = 0; r < n; r++)
            {
                int label = bytes[r * RecordSize];
                if (label >= Classes)
                    throw new NasDataException($"CIFAR-10 file {path}: record {r} has label {label}, labels must be 0–9 (is this a CIFAR-100 file?).");
                labels.Add(label);
                Buffer.BlockCopy(bytes, r * RecordSize + 1, block, r * ImageBytes, ImageBytes);
            }
            pixels.Add(block);
            remaining -= n;
        }
        var all = pixels.Count == 1 ? pixels[0] : pixels.SelectMany(b => b).ToArray();
        using var scope = NewDisposeScope();
        var images = PixelTensors.Normalised(all, labels.Count, 3, 32, 32, normalization ?? Normalization.Cifar10);
        return new ImageDataset(name, images, tensor(labels.ToArray()), Classes);
    }

    public static ImageDataset Load(string path, Normalization? normalization = null, int? limit = null) =>
        Load([path], normalization, limit);

    internal static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new NasDataException($"Data file not found: {path}.");
        try { return File.ReadAllBytes(path); }
        catch (IOException e) { throw new NasDataException($"Cannot read data file {path}: {e.Message}", e); }
    }
}
