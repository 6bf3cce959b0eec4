using NasSharp.Benchmarks;
using NasSharp.Spaces;

namespace NasSharp.TgNas;

/// <summary>Labelled architectures to train the predictor on, read from a benchmark table in the data directory.</summary>
public sealed record TgNasTrainingData(ISearchSpace Space, IReadOnlyList<Architecture> Architectures, IReadOnlyList<double> Targets, string Label)
{
    /// <summary>
    /// NB101: all rows of nb101/nb101_30k.csv.gz, label = CIFAR-10 validation accuracy (%) of one 108-epoch run
    /// (the only 108-epoch accuracy the file has; the released code used one random repeat's test accuracy).
    /// Rows without the label are skipped.
    /// </summary>
    public static TgNasTrainingData Load(string space, string dataDirectory, int? limit = null)
    {
        if (string.Equals(space, "nb201", StringComparison.OrdinalIgnoreCase))
            throw new NasInputException("TG-NAS must not be trained on NB201 when it is evaluated there (the cross-space claim); use --train-space nb101.");
        var bench = BenchmarkTables.Load(space, dataDirectory);
        string dataset = bench.Datasets[0];
        string metric = bench.MetricsFor(dataset).Contains(BenchMetric.TestAccuracy) && bench.Query(0, dataset, BenchMetric.TestAccuracy) is not null
            ? BenchMetric.TestAccuracy : BenchMetric.ValidAccuracy;
        var archs = new List<Architecture>();
        var targets = new List<double>();
        int n = Math.Min(bench.Count, limit ?? int.MaxValue);
        for (int i = 0; i < n; i++)
            if (bench.Query(i, dataset, metric) is { } v && double.IsFinite(v))
            {
                archs.Add(bench.ArchitectureAt(i));
                targets.Add(v);
            }
        return new TgNasTrainingData(bench.Space, archs, targets, $"{bench.Name} {dataset} {metric}");
    }
}
