using NasSharp.Torch.Data;
using NasSharp.Torch.Training;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>
/// Builds the seeded proxy batch for a dataset (docs/proxies.md, "Data").
/// <list type="bullet">
/// <item>cifar10 with a data directory: 2×batch distinct images drawn (seeded permutation) from the CIFAR-10 training
///   images — &lt;data-dir&gt;/cifar-10-batches-bin/data_batch_1.bin if present, else the 1,000 real images of
///   cifar10-sample/cifar10_train_sample.bin — normalised with NASLib's CIFAR-10 statistics and augmented like NASLib's
///   train loader (random crop with padding 4, horizontal flip).</item>
/// <item>cifar100 with a data directory: the same from the CIFAR-100 training images (&lt;data-dir&gt;/cifar-100-binary/train.bin)
///   if present, else the 916 real CIFAR-100 <b>test</b> images of cifar10-sample/cifar100_test_sample.bin (fine labels,
///   CIFAR-100 statistics). The reference used training images; the batch source says which file was used.</item>
/// <item>otherwise (no data directory, imagenet16-120): synthetic N(0,1) images of the dataset's shape
///   (3×32×32, or 3×16×16 for ImageNet16-120) with uniform random labels. This is documented, not hidden: the result's
///   batch source says "synthetic".</item>
/// </list>
/// </summary>
public static class ProxyData
{
    public static int ClassesOf(string dataset) => Normalize(dataset) switch
    {
        "cifar10" => 10,
        "cifar100" => 100,
        "imagenet16-120" => 120,
        _ => throw Unknown(dataset),
    };

    public static int ResolutionOf(string dataset) => Normalize(dataset) == "imagenet16-120" ? 16 : 32;

    public static string Normalize(string dataset) => dataset.Trim().ToLowerInvariant() switch
    {
        "cifar10" or "cifar-10" or "c10" => "cifar10",
        "cifar100" or "cifar-100" or "c100" => "cifar100",
        "imagenet16-120" or "imagenet16" or "in16" or "imagenet16_120" => "imagenet16-120",
        _ => throw Unknown(dataset),
    };

    private static NasInputException Unknown(string dataset) =>
        new($"Unknown proxy dataset '{dataset}'; use cifar10, cifar100 or imagenet16-120.");

    /// <summary>Path of the CIFAR-10 training images under a data directory, or null when there is none.</summary>
    public static string? Cifar10TrainFile(string? dataDirectory)
    {
        if (dataDirectory is null) return null;
        foreach (var rel in new[] { "cifar-10-batches-bin/data_batch_1.bin", "cifar10-sample/cifar10_train_sample.bin" })
        {
            var p = Path.Combine(dataDirectory, rel);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Whether <see cref="Create"/> would draw real images for this dataset (false: synthetic N(0,1) images).</summary>
    public static bool HasRealImages(string dataset, string? dataDirectory) => Normalize(dataset) switch
    {
        "cifar10" => Cifar10TrainFile(dataDirectory) is not null,
        "cifar100" => Cifar100File(dataDirectory) is not null,
        _ => false, // no ImageNet16-120 reader: we have no such images
    };

    /// <summary>Path of the CIFAR-100 images under a data directory (training set if present, else the test sample), or null.</summary>
    public static string? Cifar100File(string? dataDirectory)
    {
        if (dataDirectory is null) return null;
        foreach (var rel in new[] { "cifar-100-binary/train.bin", "cifar10-sample/cifar100_test_sample.bin" })
        {
            var p = Path.Combine(dataDirectory, rel);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private static ImageDataset Cifar100Images(string file)
    {
        var data = Cifar100Binary.Load(file);
        return data.Fine; // the coarse labels are not needed; the images and fine labels are owned by Fine
    }

    public static ProxyBatch Create(string dataset, int batchSize, int seed, string? dataDirectory)
    {
        if (batchSize < 2) throw new NasInputException($"Proxy batch size must be at least 2, got {batchSize}.");
        dataset = Normalize(dataset);
        int classes = ClassesOf(dataset);
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(seed);
        var file = dataset switch
        {
            "cifar10" => Cifar10TrainFile(dataDirectory),
            "cifar100" => Cifar100File(dataDirectory),
            _ => null,
        };
        if (file is not null)
        {
            using var data = dataset == "cifar10" ? CifarBinary.Load([file], Normalization.Cifar10Naslib) : Cifar100Images(file);
            if (data.Count < 2 * batchSize)
                throw new NasInputException($"Proxy batch size {batchSize} needs {2 * batchSize} images; {file} has {data.Count}.");
            var order = randperm(data.Count, generator: gen);
            var pick = order.narrow(0, 0, 2 * batchSize);
            var images = Augmentation.RandomCropFlip(data.Images.index_select(0, pick), 4, gen);
            var labels = data.Labels.index_select(0, pick);
            return Split(images, labels, batchSize, classes, $"{file} ({2 * batchSize} of {data.Count} images, seed {seed})");
        }
        int r = ResolutionOf(dataset);
        var x = randn([2L * batchSize, 3, r, r], generator: gen);
        var y = randint(0, classes, [2L * batchSize], ScalarType.Int64, generator: gen);
        return Split(x, y, batchSize, classes, $"synthetic N(0,1) 3x{r}x{r}, uniform labels (seed {seed})");
    }

    /// <summary>A batch from given tensors (tests, custom data); the second batch is the same as the first.</summary>
    public static ProxyBatch FromTensors(Tensor inputs, Tensor labels, int numClasses, Tensor? secondInputs = null, Tensor? secondLabels = null) =>
        new(inputs.clone(), labels.clone(), (secondInputs ?? inputs).clone(), (secondLabels ?? labels).clone(), numClasses, "given tensors");

    private static ProxyBatch Split(Tensor images, Tensor labels, int n, int classes, string source) =>
        new(images.narrow(0, 0, n).contiguous(), labels.narrow(0, 0, n).contiguous(),
            images.narrow(0, n, n).contiguous(), labels.narrow(0, n, n).contiguous(), classes, source);
}
