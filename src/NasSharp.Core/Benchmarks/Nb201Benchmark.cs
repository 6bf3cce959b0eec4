using NasSharp.Data;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Benchmarks;

/// <summary>
/// NAS-Bench-201 from <c>nb201/nb201.csv.gz</c> in the data directory: 15,625 rows in official index order, stored as
/// one double[] per column (≈5 MB), so a fresh process loads it in well under a second.
/// </summary>
public sealed class Nb201Benchmark : IBenchmark
{
    public const string RelativePath = "nb201/nb201.csv.gz";

    // metric -> CSV column, per dataset. Columns absent here are not recorded by the table (they answer null).
    private static readonly Dictionary<string, Dictionary<string, string>> ColumnMap = new()
    {
        [BenchDataset.Cifar10] = new()
        {
            [BenchMetric.TestAccuracy] = "cifar10_test",
            [BenchMetric.ValidAccuracy] = "cifar10_valid",
            ["valid_test_accuracy"] = "cifar10valid_test",
            ["naslib_val_accuracy"] = "naslib_cifar10_val",
            ["test_accuracy_12ep"] = "cifar10_test_12ep",
            ["valid_accuracy_12ep"] = "cifar10_valid_12ep",
            [BenchMetric.FlopsM] = "flops_cifar10_m",
            ["naswot_v1"] = "naswot_v1",
            ["zen"] = "zen_cifar10",
        },
        [BenchDataset.Cifar100] = new()
        {
            [BenchMetric.TestAccuracy] = "cifar100_test",
            ["naslib_val_accuracy"] = "naslib_cifar100_val",
            ["test_accuracy_12ep"] = "cifar100_test_12ep",
            ["valid_accuracy_12ep"] = "cifar100_valid_12ep",
            [BenchMetric.FlopsM] = "flops_cifar100_m",
            ["zen"] = "zen_cifar100",
        },
        [BenchDataset.ImageNet16] = new()
        {
            [BenchMetric.TestAccuracy] = "imagenet16_test",
            ["naslib_val_accuracy"] = "naslib_imagenet16_val",
            ["test_accuracy_12ep"] = "imagenet16_test_12ep",
            ["valid_accuracy_12ep"] = "imagenet16_valid_12ep",
            [BenchMetric.FlopsM] = "flops_imagenet16_m",
            ["zen"] = "zen_imagenet16",
        },
    };

    /// <summary>Number of classes per dataset: the recorded params are the 10-class network's; the classifier (64·K+K) differs.</summary>
    private static readonly Dictionary<string, int> Classes = new()
    {
        [BenchDataset.Cifar10] = 10, [BenchDataset.Cifar100] = 100, [BenchDataset.ImageNet16] = 120,
    };

    private static readonly string[] LatencyColumns =
        ["lat_titan_rtx_1_ms", "lat_titan_rtx_256_ms", "lat_gold_6226_ms", "lat_pixel2_ms", "lat_pixel3_ms", "lat_raspi4_ms", "lat_fpga_ms", "lat_eyeriss_ms"];

    private readonly Dictionary<string, double[]> _columns = new(StringComparer.Ordinal);
    private readonly double[] _params;

    private static readonly string[] NumericColumns =
        ColumnMap.Values.SelectMany(m => m.Values).Concat(LatencyColumns).Append("params_m").Append("index").Append("iso_rep").Distinct().ToArray();

    private Nb201Benchmark(CsvTable table)
    {
        if (table.RowCount != Nb201Space.SpaceSize)
            throw CsvTable.Corrupt(table.Path, $"it has {table.RowCount} rows, NAS-Bench-201 has {Nb201Space.SpaceSize}");
        var index = table.Numbers("index");
        var arch = table.Strings("arch");
        for (int i = 0; i < index.Length; i++)
        {
            // The table must be in official index order and agree with our index mapping; a shuffled or edited file is caught here.
            if (index[i] != i) throw CsvTable.Corrupt(table.Path, $"row {i + 1} has index {index[i]}, expected {i}");
            if (!string.Equals(arch[i], Nb201Index.Format(i), StringComparison.Ordinal))
                throw CsvTable.Corrupt(table.Path, $"row {i + 1}: architecture '{arch[i]}' is not NB201 index {i}");
        }
        foreach (var column in NumericColumns) _columns[column] = table.Numbers(column);
        _params = _columns["params_m"];
        IsoRep = table.Numbers("iso_rep").Select(v => (int)v).ToArray();
    }

    public static Nb201Benchmark Load(string dataDirectory) =>
        new(CsvTable.Load(DataDirectory.RequireFile(dataDirectory, RelativePath, "NAS-Bench-201 table"), NumericColumns, ["arch"]));

    public string Name => "nb201";
    public ISearchSpace Space => Nb201Space.Instance;
    public int Count => Nb201Space.SpaceSize;
    public IReadOnlyList<string> Datasets { get; } = [BenchDataset.Cifar10, BenchDataset.Cifar100, BenchDataset.ImageNet16];

    /// <summary>The table's isomorphism-class representative (smallest index with the same NATS-Bench unique string).</summary>
    public IReadOnlyList<int> IsoRep { get; }

    public IReadOnlyList<string> MetricsFor(string dataset)
    {
        var d = BenchDataset.Normalize(dataset, Datasets);
        return [.. ColumnMap[d].Keys, BenchMetric.ParamsM, .. LatencyColumns.Select(LatencyMetric)];
    }

    public int? IndexOf(Architecture arch) => Nb201Index.ToIndex(arch);

    public Architecture ArchitectureAt(int index) => Nb201Index.ToArchitecture(index);

    public double? Query(int index, string dataset, string metric)
    {
        if ((uint)index >= Count) throw new NasInputException($"NB201 index {index} is out of range; valid indices are 0..{Count - 1}.");
        var d = BenchDataset.Normalize(dataset, Datasets);
        double v;
        if (metric == BenchMetric.ParamsM) v = _params[index] + 65.0 * (Classes[d] - 10) / 1e6;
        else if (ColumnMap[d].TryGetValue(metric, out var column)) v = _columns[column][index];
        else if (LatencyColumns.FirstOrDefault(c => LatencyMetric(c) == metric) is { } lat) v = _columns[lat][index];
        else if (MetricsForAnyDataset(metric)) return null; // recorded for another dataset only: missing here
        else throw new NasInputException($"Unknown NB201 metric '{metric}'; for {d}: {string.Join(", ", MetricsFor(d))}.");
        return double.IsNaN(v) ? null : v;
    }

    private static bool MetricsForAnyDataset(string metric) => ColumnMap.Values.Any(m => m.ContainsKey(metric));

    private static string LatencyMetric(string column) => "latency_" + column["lat_".Length..];
}
