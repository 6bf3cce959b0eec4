using System.Globalization;

namespace NasSharp.Pipeline;

/// <summary>
/// Everything `nas run` computes from: the search (space, strategy, budget, options, the benchmark table dataset the
/// candidates are compared with), the training of the winner (data, epochs, batch, learning rate, subsets) and the
/// seed. <see cref="Identity"/> is what a resumed run must match; thread count, cluster and output directory are
/// where/how it runs, not what it computes, so they may change between resumes.
/// </summary>
public sealed record RunSettings(string Space, string Strategy, int Seed, string OutDirectory, string DataDirectory)
{
    /// <summary>Training data: "fashion-mnist" or "cifar10" (NasSharp.Torch's TrainingData names).</summary>
    public string Data { get; init; } = "fashion-mnist";
    /// <summary>Directory with the dataset's files instead of the default place (Fashion-MNIST IDX files); null = default.</summary>
    public string? DataPath { get; init; }
    /// <summary>Benchmark dataset the found architecture's table accuracy and the proxy-vs-accuracy plot use.</summary>
    public string TableDataset { get; init; } = "cifar10";
    /// <summary>Search budget (evaluations or proxy queries, as the strategy documents); null = the strategy's default.</summary>
    public int? Budget { get; init; }
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Use only the first N training images; null = all.</summary>
    public int? TrainLimit { get; init; }
    /// <summary>Use only the first N test images; null = all.</summary>
    public int? TestLimit { get; init; }
    /// <summary>Random candidates scored with the strategy's proxy for the proxy-vs-accuracy plot when the strategy does not expose the ones it evaluated.</summary>
    public int ProxySample { get; init; } = 200;
    public int Threads { get; init; } = 1;
    /// <summary>Reuse the finished stages found in <see cref="OutDirectory"/> (and continue a training from its checkpoint).</summary>
    public bool Resume { get; init; }

    /// <summary>Ask/tell strategies default to 100 evaluations, the others (proxy searches) to 1,000 proxy queries.</summary>
    public int EffectiveBudget(bool askTell) => Budget ?? (askTell ? 100 : 1000);

    public void Validate()
    {
        if (Budget is < 1) throw new NasInputException($"--budget must be a positive number of evaluations, got {Budget}.");
        if (Epochs < 1) throw new NasInputException($"--train-epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new NasInputException($"--batch must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new NasInputException($"--lr must be a positive number, got {LearningRate}.");
        if (TrainLimit is < 1) throw new NasInputException($"--train-limit must be at least 1, got {TrainLimit}.");
        if (TestLimit is < 1) throw new NasInputException($"--test-limit must be at least 1, got {TestLimit}.");
        if (ProxySample < 0) throw new NasInputException($"--proxy-sample must be 0 or positive, got {ProxySample}.");
        if (Threads < 1) throw new NasInputException($"--threads must be at least 1, got {Threads}.");
        if (string.IsNullOrWhiteSpace(OutDirectory)) throw new NasInputException("--out must name a directory for the report, checkpoint and ONNX file.");
        if (DataPath is not null && !Directory.Exists(DataPath))
            throw new NasInputException($"--data-path '{DataPath}' is not a directory; point it at the folder with the {Data} files (e.g. /usr/share/datasets/fashion-mnist).");
    }

    /// <summary>The settings that determine the search stage's result.</summary>
    public IReadOnlyDictionary<string, string> SearchIdentity() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["space"] = Space.ToLowerInvariant(),
        ["strategy"] = Strategy.ToLowerInvariant(),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["budget"] = Budget?.ToString(CultureInfo.InvariantCulture) ?? "default",
        ["table_dataset"] = TableDataset.ToLowerInvariant(),
        ["options"] = string.Join(",", Options.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")),
    };

    /// <summary>The settings that determine the training stage's result (on top of the architecture the search found).</summary>
    public IReadOnlyDictionary<string, string> TrainIdentity() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["data"] = Data.ToLowerInvariant(),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["train_epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
        ["batch"] = BatchSize.ToString(CultureInfo.InvariantCulture),
        ["lr"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
        ["train_limit"] = TrainLimit?.ToString(CultureInfo.InvariantCulture) ?? "all",
        ["test_limit"] = TestLimit?.ToString(CultureInfo.InvariantCulture) ?? "all",
    };
}
