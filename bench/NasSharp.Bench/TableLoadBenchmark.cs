using BenchmarkDotNet.Attributes;
using NasSharp.Benchmarks;
using NasSharp.Data;

namespace NasSharp.Bench;

/// <summary>Loading the NAS-Bench-201 table and answering one query (what `nas bench query` does in a fresh process).</summary>
[MemoryDiagnoser]
public class TableLoadBenchmark
{
    private readonly string _dataDir = DataDirectory.Resolve(null);
    private Nb201Benchmark _loaded = null!;

    [GlobalSetup]
    public void Setup() => _loaded = Nb201Benchmark.Load(_dataDir);

    [Benchmark]
    public double? LoadNb201AndQuery() => Nb201Benchmark.Load(_dataDir).Query(6111, "cifar10", BenchMetric.TestAccuracy);

    [Benchmark]
    public double? QueryLoadedTable() => _loaded.Query(6111, "cifar10", BenchMetric.TestAccuracy);

    [Benchmark]
    public int TopTenOfLoadedTable() => _loaded.TopK("cifar10", BenchMetric.TestAccuracy, 10).Count;
}
