using NasSharp.Data;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb101;

namespace NasSharp.Benchmarks;

/// <summary>
/// NAS-Bench-101 accuracies from <c>nb101/nb101_30k.csv.gz</c> (30,001 of the 423,624 cells; CIFAR-10 validation
/// accuracy of one 108-epoch run). Rows are keyed by NB101's graph hash, so any isomorphic form of a cell finds its row.
/// </summary>
public sealed class Nb101Benchmark : IBenchmark
{
    public const string RelativePath = "nb101/nb101_30k.csv.gz";

    private static readonly Dictionary<string, string> ColumnMap = new()
    {
        [BenchMetric.ValidAccuracy] = "val_accuracy",
        ["valid_accuracy_4ep"] = "val_accuracy_4ep",
        ["valid_accuracy_12ep"] = "val_accuracy_12ep",
        ["valid_accuracy_36ep"] = "val_accuracy_36ep",
        [BenchMetric.TrainTimeS] = "training_time_s",
    };

    private readonly Dictionary<string, double[]> _columns = new(StringComparer.Ordinal);
    private readonly double[] _params;
    private readonly string[] _adjacency, _ops, _hashes;
    private readonly Dictionary<string, int> _rowOfHash;

    private Nb101Benchmark(CsvTable table)
    {
        _hashes = table.Strings("nb101_hash");
        _adjacency = table.Strings("adjacency");
        _ops = table.Strings("ops");
        foreach (var column in ColumnMap.Values) _columns[column] = table.Numbers(column);
        _params = table.Numbers("params");
        _rowOfHash = new Dictionary<string, int>(_hashes.Length, StringComparer.Ordinal);
        for (int r = 0; r < _hashes.Length; r++)
            if (!_rowOfHash.TryAdd(_hashes[r], r)) throw CsvTable.Corrupt(table.Path, $"hash {_hashes[r]} appears twice");
    }

    public static Nb101Benchmark Load(string dataDirectory) =>
        new(CsvTable.Load(DataDirectory.RequireFile(dataDirectory, RelativePath, "NAS-Bench-101 table"),
            [.. ColumnMap.Values, "params"], ["nb101_hash", "adjacency", "ops"]));

    public string Name => "nb101";
    public ISearchSpace Space => Nb101Space.Instance;
    public int Count => _hashes.Length;
    public IReadOnlyList<string> Datasets { get; } = [BenchDataset.Cifar10];

    public IReadOnlyList<string> MetricsFor(string dataset)
    {
        BenchDataset.Normalize(dataset, Datasets);
        return [.. ColumnMap.Keys, BenchMetric.ParamsM, BenchMetric.TestAccuracy];
    }

    public int? IndexOf(Architecture arch)
    {
        if (!Nb101Space.Instance.IsValid(arch, out _)) return null;
        return _rowOfHash.TryGetValue(Nb101Space.Instance.CanonicalHash(arch), out var r) ? r : null;
    }

    public Architecture ArchitectureAt(int index)
    {
        if ((uint)index >= Count) throw new NasInputException($"NB101 table row {index} is out of range; valid rows are 0..{Count - 1}.");
        return Nb101Space.Instance.Parse(_adjacency[index] + ":" + _ops[index]);
    }

    /// <summary>The NB101 hash of a row.</summary>
    public string HashAt(int index) => _hashes[index];

    public double? Query(int index, string dataset, string metric)
    {
        if ((uint)index >= Count) throw new NasInputException($"NB101 table row {index} is out of range; valid rows are 0..{Count - 1}.");
        BenchDataset.Normalize(dataset, Datasets);
        double v;
        if (metric == BenchMetric.TestAccuracy) return null; // the shipped NB101 table has no test accuracy
        if (metric == BenchMetric.ParamsM) v = _params[index] / 1e6;
        else if (ColumnMap.TryGetValue(metric, out var column)) v = _columns[column][index];
        else throw new NasInputException($"Unknown NB101 metric '{metric}'; known: {string.Join(", ", MetricsFor(dataset))}.");
        return double.IsNaN(v) ? null : v;
    }
}
