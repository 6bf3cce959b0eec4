using NasSharp.Spaces;

namespace NasSharp.Benchmarks;

/// <summary>
/// A tabular benchmark: recorded metrics for the architectures of one space. Values are in the units the benchmark
/// reports (accuracies in percent). A metric that was not recorded is null — never 0.
/// </summary>
public interface IBenchmark
{
    /// <summary>Short name, equal to the space name (e.g. "nb201").</summary>
    string Name { get; }
    ISearchSpace Space { get; }
    /// <summary>Number of rows; for NB201 the row number is the official index.</summary>
    int Count { get; }
    IReadOnlyList<string> Datasets { get; }
    /// <summary>The metric names this benchmark can answer for <paramref name="dataset"/> (see <see cref="BenchMetric"/>).</summary>
    IReadOnlyList<string> MetricsFor(string dataset);

    /// <summary>The row of an architecture (isomorphic forms included where the table is keyed by a graph hash), or null.</summary>
    int? IndexOf(Architecture arch);
    Architecture ArchitectureAt(int index);
    /// <summary>The value, or null when the benchmark did not record it for this row.</summary>
    double? Query(int index, string dataset, string metric);
}

/// <summary>Well-known metric names shared by benchmarks (snake_case, as in --json output).</summary>
public static class BenchMetric
{
    public const string TestAccuracy = "test_accuracy";
    public const string ValidAccuracy = "valid_accuracy";
    public const string ParamsM = "params_m";
    public const string FlopsM = "flops_m";
    public const string TrainTimeS = "train_time_s";
}

/// <summary>Dataset names and the spellings users type for them.</summary>
public static class BenchDataset
{
    public const string Cifar10 = "cifar10", Cifar100 = "cifar100", ImageNet16 = "imagenet16-120";

    public static string Normalize(string name, IReadOnlyList<string> known)
    {
        var n = name.Trim().ToLowerInvariant() switch
        {
            "cifar-10" or "c10" => Cifar10,
            "cifar-100" or "c100" => Cifar100,
            "imagenet16" or "imagenet16_120" or "imagenet-16-120" or "in16" or "imagenet" => ImageNet16,
            var other => other,
        };
        return known.Contains(n) ? n
            : throw new NasInputException($"Unknown dataset '{name}'; this benchmark has: {string.Join(", ", known)}.");
    }
}
