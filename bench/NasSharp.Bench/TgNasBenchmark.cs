using BenchmarkDotNet.Attributes;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.TgNas;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;

namespace NasSharp.Bench;

/// <summary>
/// TG-NAS scoring of the whole NB201 space (15,625 architectures) with the shipped weights (4-net ensemble), 2 torch threads:
/// end to end (architecture → graph → dense batches → GCN) and the GCN forward alone on pre-encoded batches.
/// Run: dotnet run -c Release --project bench/NasSharp.Bench -- --filter '*TgNas*'
/// </summary>
[MemoryDiagnoser]
public class TgNasBenchmark
{
    private TgNasScorer _scorer = null!;
    private Architecture[] _archs = null!;
    private GraphBatch[] _batches = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(2);
        _scorer = new TgNasScorer(TgNasPredictor.Load(TgNasPredictor.DefaultPath), Nb201Space.Instance);
        _archs = Enumerable.Range(0, Nb201Space.SpaceSize).Select(Nb201Index.ToArchitecture).ToArray();
        var graphs = _archs.Select(_scorer.Builder.Build).ToArray();
        // data-flow graphs have 2..8 nodes: one batch per encoded size, as the scorer does
        _batches = graphs.GroupBy(g => TgNasGraphBuilder.EncodedNodes(g.NodeCount))
            .SelectMany(group => group.Chunk(TgNasScorer.ChunkSize)).Select(c => GraphBatch.Encode(c, _scorer.Table)).ToArray();
        _paperScorer = new TgNasScorer(_scorer.Predictor, Nb201Space.Instance, graphMode: GraphMode.Paper);
    }

    private TgNasScorer _paperScorer = null!;

    /// <summary>End to end with the default data-flow graphs (equal graphs are scored once).</summary>
    [Benchmark]
    public double ScoreAllNb201() => _scorer.Score(_archs).Max();

    /// <summary>End to end with the released code's graphs (every edge op a node: 15,625 distinct 9-node graphs).</summary>
    [Benchmark]
    public double ScoreAllNb201PaperGraphs() => _paperScorer.Score(_archs).Max();

    [Benchmark]
    public double ForwardPreEncodedNb201() => _batches.Sum(b => _scorer.Predictor.Predict(b, _scorer.Table).Max());
}
