using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>
/// Reader for the official CIFAR-100 binary format (cifar-100-binary): records of 1 coarse-label byte (0–19), 1
/// fine-label byte (0–99) and 3,072 pixel bytes (R, G, B planes of 32×32, row-major); no header, n = size / 3074.
/// The dataset's labels are the 100 fine classes (what NAS-Bench-201's CIFAR-100 task uses); the coarse ones are kept
/// in <see cref="Cifar100Data.CoarseLabels"/>.
/// </summary>
public static class Cifar100Binary
{
    public const int RecordSize = 2 + ImageBytes, ImageBytes = 3 * 32 * 32, FineClasses = 100, CoarseClasses = 20;

    /// <summary>The usual CIFAR-100 training-set statistics (the constants of NASLib-style CIFAR-100 loaders).</summary>
    public static Normalization Normalization { get; } = new([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]);

    /// <summary>Reads one file; at most <paramref name="limit"/> images. Pixels normalised with <paramref name="normalization"/>
    /// (default: <see cref="Normalization"/>).</summary>
    public static Cifar100Data Load(string path, Normalization? normalization = null, int? limit = null)
    {
        var bytes = CifarBinary.ReadAll(path);
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            throw new NasDataException($"CIFAR-100 file {path} has {bytes.Length} bytes, not a positive multiple of the {RecordSize}-byte record " +
                                       "(1 coarse label + 1 fine label + 3072 pixels); it is truncated or not in the CIFAR-100 binary format " +
                                       "(a CIFAR-10 file has 3073-byte records).");
        int n = Math.Min(bytes.Length / RecordSize, limit ?? int.MaxValue);
        var fine = new long[n];
        var coarse = new long[n];
        var block = new byte[(long)n * ImageBytes];
        for (int r = 0; r < n; r++)
        {
            int c = bytes[r * RecordSize], f = bytes[r * RecordSize + 1];
            if (c >= CoarseClasses || f >= FineClasses)
                throw new NasDataException($"CIFAR-100 file {path}: record {r} has coarse label {c} and fine label {f}; they must be 0–19 and 0–99 " +
                                           "(is this a CIFAR-10 file?).");
            coarse[r] = c;
            fine[r] = f;
            Buffer.BlockCopy(bytes, r * RecordSize + 2, block, r * ImageBytes, ImageBytes);
        }
        using var scope = NewDisposeScope();
        var images = PixelTensors.Normalised(block, n, 3, 32, 32, normalization ?? Normalization);
        return new Cifar100Data(new ImageDataset("cifar100", images, tensor(fine), FineClasses), coarse);
    }
}

/// <summary>A CIFAR-100 file: the images with their fine labels, plus the coarse (super-class) labels.</summary>
public sealed class Cifar100Data(ImageDataset fine, long[] coarseLabels) : IDisposable
{
    /// <summary>Images (N×3×32×32, normalised) with the 100 fine labels.</summary>
    public ImageDataset Fine { get; } = fine;
    /// <summary>The 20 coarse labels, one per image.</summary>
    public IReadOnlyList<long> CoarseLabels { get; } = coarseLabels;
    public int Count => Fine.Count;
    public void Dispose() => Fine.Dispose();
}
