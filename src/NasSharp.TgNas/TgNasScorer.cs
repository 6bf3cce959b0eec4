using NasSharp.Spaces;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas;

/// <summary>
/// Scores architectures of one space with a trained predictor: builds the graphs, looks the operator embeddings up
/// once (cache), groups graphs by encoded size and runs each group as dense batches — one module call per chunk of
/// thousands of graphs, never per graph.
/// </summary>
public sealed class TgNasScorer
{
    public const int ChunkSize = 8192;

    public TgNasScorer(TgNasPredictor predictor, ISearchSpace space, IReadOnlyDictionary<string, string>? opOverrides = null, EmbeddingCache? cache = null,
                       DartsGraphMode dartsMode = DartsGraphMode.Both, GraphMode? graphMode = null)
    {
        Predictor = predictor;
        Builder = new TgNasGraphBuilder(space, opOverrides, dartsMode, graphMode ?? predictor.Config.Graph);
        Table = new OperatorTable(Builder.Descriptions.Values, cache ?? EmbeddingCache.Shared);
    }

    public TgNasPredictor Predictor { get; }
    public TgNasGraphBuilder Builder { get; }
    public OperatorTable Table { get; }

    public double Score(Architecture arch) => Score([arch])[0];

    /// <summary>One score per architecture: the mean over its graphs (one graph except DARTS in <see cref="DartsGraphMode.Mean"/>).</summary>
    public double[] Score(IReadOnlyList<Architecture> archs, IProgress<ProgressInfo>? progress = null) =>
        MeanOfViews(archs.Select(Builder.BuildViews).ToArray(), progress);

    /// <summary>Scores groups of graphs and returns each group's mean score.</summary>
    public double[] MeanOfViews(IReadOnlyList<IReadOnlyList<CellGraph>> views, IProgress<ProgressInfo>? progress = null)
    {
        var flat = views.SelectMany(v => v).ToArray();
        var scores = ScoreGraphs(flat, progress);
        var result = new double[views.Count];
        for (int i = 0, k = 0; i < views.Count; i++)
        {
            double sum = 0;
            for (int j = 0; j < views[i].Count; j++) sum += scores[k++];
            result[i] = sum / views[i].Count;
        }
        return result;
    }

    public double[] ScoreGraphs(IReadOnlyList<CellGraph> graphs, IProgress<ProgressInfo>? progress = null)
    {
        var result = new double[graphs.Count];
        long done = 0;
        foreach (var group in Enumerable.Range(0, graphs.Count).GroupBy(i => TgNasGraphBuilder.EncodedNodes(graphs[i].NodeCount)))
        {
            var idx = group.ToArray();
            for (int start = 0; start < idx.Length; start += ChunkSize)
            {
                var chunk = idx.Skip(start).Take(ChunkSize).ToArray();
                var scores = Predictor.Predict(GraphBatch.Encode(chunk.Select(i => graphs[i]).ToArray(), Table), Table);
                for (int k = 0; k < chunk.Length; k++) result[chunk[k]] = scores[k];
                done += chunk.Length;
                progress?.Report(new ProgressInfo(done, graphs.Count));
            }
        }
        return result;
    }
}
