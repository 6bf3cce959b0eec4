using BenchmarkDotNet.Attributes;
using NasSharp.Benchmarks;
using NasSharp.Data;
using NasSharp.Search.Evaluators;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Bench;

/// <summary>
/// One complete 100-query search on the NB201 CIFAR-10 table per strategy (what one seed of `nas compare` costs):
/// strategy overhead plus table lookups; BANANAS includes its 9 ensemble fits.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmark
{
    private BenchmarkEvaluator _evaluator = null!;

    [Params("random", "re", "ls", "bananas")]
    public string Strategy { get; set; } = "random";

    [GlobalSetup]
    public void Setup() => _evaluator = new BenchmarkEvaluator(BenchmarkTables.Load("nb201", DataDirectory.Resolve(null)), "cifar10");

    [Benchmark]
    public int Search100Queries()
    {
        var strategy = StrategyCatalog.Get(Strategy).Create(Nb201Space.Instance, 0, new Dictionary<string, string>());
        return SearchLoop.Run(Nb201Space.Instance, strategy, _evaluator, 100).Count;
    }
}
