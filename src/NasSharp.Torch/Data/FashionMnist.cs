using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>
/// Fashion-MNIST from its IDX files ({train,t10k}-{images-idx3,labels-idx1}-ubyte, optionally .gz), e.g. the Debian
/// package dataset-fashion-mnist under /usr/share/datasets/fashion-mnist.
/// <para>
/// <b>Single-channel images in 3-channel networks</b> (<see cref="GrayscaleLayout.Rgb32"/>, the default): each 28×28 image
/// is zero-padded by 2 pixels on every side to 32×32 (raw value 0 = the dataset's black background, padded before
/// normalisation) and its one channel is replicated into R, G and B. The result has CIFAR's shape, so every benchmark
/// network runs unchanged and the three stem filters see the same grey image. <see cref="GrayscaleLayout.Native"/> keeps
/// 1×28×28 (build the network with InputChannels = 1).
/// </para>
/// </summary>
public static class FashionMnist
{
    public const int Classes = 10, Side = 28;
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public enum GrayscaleLayout { Rgb32, Native }

    public static ImageDataset Load(string directory, bool train, int? limit = null, GrayscaleLayout layout = GrayscaleLayout.Rgb32,
                                    Normalization? normalization = null)
    {
        string prefix = train ? "train" : "t10k";
        var imagesPath = Find(directory, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(directory, $"{prefix}-labels-idx1-ubyte");
        return Load(imagesPath, labelsPath, limit, layout, normalization);
    }

    public static ImageDataset Load(string imagesPath, string labelsPath, int? limit, GrayscaleLayout layout, Normalization? normalization = null)
    {
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.Dimensions.Length != 3)
            throw new NasDataException($"IDX image file {imagesPath} has {images.Dimensions.Length} dimensions; expected 3 (count × rows × columns).");
        if (labels.Dimensions.Length != 1)
            throw new NasDataException($"IDX label file {labelsPath} has {labels.Dimensions.Length} dimensions; expected 1.");
        if (images.Count != labels.Count)
            throw new NasDataException($"IDX image file {imagesPath} has {images.Count} images but label file {labelsPath} has {labels.Count} labels.");
        int h = images.Dimensions[1], w = images.Dimensions[2];
        int n = (int)Math.Min(images.Count, limit ?? int.MaxValue);
        var labelArray = new long[n];
        for (int i = 0; i < n; i++)
        {
            labelArray[i] = labels.Data[i];
            if (labelArray[i] >= Classes)
                throw new NasDataException($"IDX label file {labelsPath}: label {labelArray[i]} at position {i} is not in 0–9.");
        }
        var norm = normalization ?? Normalization.FashionMnist;
        using var scope = NewDisposeScope();
        var raw = tensor(images.Data.AsSpan(0, n * h * w).ToArray(), new long[] { n, 1, h, w });
        var x = raw.to_type(ScalarType.Float32).div_(255f);
        if (layout == GrayscaleLayout.Rgb32)
        {
            int padH = Math.Max(0, 32 - h), padW = Math.Max(0, 32 - w);
            x = nn.functional.pad(x, [padW / 2, padW - padW / 2, padH / 2, padH - padH / 2]); // zero = black background
        }
        x = x.sub_(norm.Mean[0]).div_(norm.Std[0]);
        // A broadcast view, not a copy: the full training set stays 245 MB instead of 737 MB; batches are gathered contiguous.
        if (layout == GrayscaleLayout.Rgb32) x = x.expand(n, 3, x.shape[2], x.shape[3]);
        return new ImageDataset("fashion-mnist", x, tensor(labelArray), Classes);
    }

    private static string Find(string directory, string stem)
    {
        foreach (var name in new[] { stem, stem + ".gz" })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        throw new NasDataException($"Fashion-MNIST file {Path.Combine(directory, stem)}[.gz] not found. Install the Debian package " +
                                   $"dataset-fashion-mnist (files in {DebianDirectory}) or put the IDX files in <data-dir>/fashion-mnist.");
    }
}
