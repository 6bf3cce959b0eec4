namespace NasSharp.Benchmarks;

/// <summary>Summary statistics of one metric over a benchmark; missing values are counted, never averaged in.</summary>
public sealed record MetricSummary(string Dataset, string Metric, int Count, int Missing, double Mean, double Std, double Min, int MinIndex, double Median, double Max, int MaxIndex);

public static class BenchmarkExtensions
{
    /// <summary>The <paramref name="k"/> best rows by a metric (higher is better; ties keep the lower index first).</summary>
    public static IReadOnlyList<(int Index, double Value)> TopK(this IBenchmark bench, string dataset, string metric, int k)
    {
        if (k < 1) throw new NasInputException($"k must be at least 1, got {k}.");
        return Values(bench, dataset, metric)
            .OrderByDescending(t => t.Value).ThenBy(t => t.Index)
            .Take(k).ToList();
    }

    public static MetricSummary Summary(this IBenchmark bench, string dataset, string metric)
    {
        var values = Values(bench, dataset, metric).ToList();
        if (values.Count == 0) throw new NasInputException($"{bench.Name} records no '{metric}' for {dataset}.");
        var sorted = values.Select(v => v.Value).Order().ToArray();
        double mean = sorted.Average();
        double std = Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length);
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        var min = values.MinBy(v => v.Value);
        var max = values.OrderByDescending(v => v.Value).ThenBy(v => v.Index).First();
        return new MetricSummary(dataset, metric, n, bench.Count - n, mean, std, min.Value, min.Index, median, max.Value, max.Index);
    }

    /// <summary>All recorded (index, value) pairs of a metric.</summary>
    public static IEnumerable<(int Index, double Value)> Values(this IBenchmark bench, string dataset, string metric)
    {
        for (int i = 0; i < bench.Count; i++)
            if (bench.Query(i, dataset, metric) is { } v) yield return (i, v);
    }
}
