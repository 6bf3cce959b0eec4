using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>
/// The datasets `nas train` knows, and where it looks for them:
/// <list type="bullet">
/// <item><b>cifar10</b>: &lt;data-dir&gt;/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin (the official binary
///   release, if present), else the 1,000-image samples &lt;data-dir&gt;/cifar10-sample/cifar10_{train,test}_sample.bin.</item>
/// <item><b>fashion-mnist</b>: &lt;data-dir&gt;/fashion-mnist/ if it exists, else /usr/share/datasets/fashion-mnist
///   (Debian package dataset-fashion-mnist); images become 3×32×32 by <see cref="FashionMnist"/>'s documented rule.</item>
/// </list>
/// </summary>
public static class TrainingData
{
    public static readonly IReadOnlyList<string> Names = ["cifar10", "fashion-mnist"];

    public static ImageDataset Load(string name, string dataDirectory, bool train, int? limit = null) => name.ToLowerInvariant() switch
    {
        "cifar10" => LoadCifar10(dataDirectory, train, limit),
        "fashion-mnist" or "fashionmnist" => FashionMnist.Load(FashionMnistDirectory(dataDirectory), train, limit),
        _ => throw new NasInputException($"Unknown dataset '{name}'; available: {string.Join(", ", Names)}."),
    };

    private static ImageDataset LoadCifar10(string dataDirectory, bool train, int? limit)
    {
        var full = Path.Combine(dataDirectory, "cifar-10-batches-bin");
        if (File.Exists(Path.Combine(full, "data_batch_1.bin")))
        {
            string[] files = train
                ? Enumerable.Range(1, 5).Select(i => Path.Combine(full, $"data_batch_{i}.bin")).ToArray()
                : [Path.Combine(full, "test_batch.bin")];
            return CifarBinary.Load(files, Normalization.Cifar10, limit);
        }
        var sample = Path.Combine(dataDirectory, "cifar10-sample", train ? "cifar10_train_sample.bin" : "cifar10_test_sample.bin");
        if (File.Exists(sample)) return CifarBinary.Load([sample], Normalization.Cifar10, limit);
        throw new NasDataException($"CIFAR-10 not found under {dataDirectory}: expected cifar-10-batches-bin/data_batch_1.bin (official binary " +
                                   "release) or cifar10-sample/cifar10_train_sample.bin. Point --data-dir or $NASSHARP_DATA at it.");
    }

    private static string FashionMnistDirectory(string dataDirectory)
    {
        var local = Path.Combine(dataDirectory, "fashion-mnist");
        return Directory.Exists(local) ? local : FashionMnist.DebianDirectory;
    }
}
