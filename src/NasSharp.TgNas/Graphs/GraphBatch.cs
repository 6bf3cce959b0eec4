namespace NasSharp.TgNas.Graphs;

/// <summary>
/// Graphs of one encoded size N (padding + global node included) as flat arrays ready for dense batched tensors:
/// <see cref="Ops"/>[b·N+i] is node i's row in the <see cref="OperatorTable"/> and <see cref="Adjacency"/>[b·N·N + r·N + s]
/// is Â[receiver r][sender s] (spec §3.1: self-loops everywhere, every node → global node, transposed so Â·H sums each
/// node's own and its predecessors' states).
/// </summary>
public sealed class GraphBatch
{
    public GraphBatch(int nodes, long[] ops, float[] adjacency)
    {
        Nodes = nodes; Ops = ops; Adjacency = adjacency;
        Count = ops.Length / nodes;
    }

    public int Nodes { get; }
    public int Count { get; }
    public long[] Ops { get; }
    public float[] Adjacency { get; }

    /// <summary>Encodes graphs that all have the same encoded size.</summary>
    public static GraphBatch Encode(IReadOnlyList<CellGraph> graphs, OperatorTable table)
    {
        if (graphs.Count == 0) throw new ArgumentException("No graphs to encode.");
        int n = TgNasGraphBuilder.EncodedNodes(graphs[0].NodeCount);
        var ops = new long[graphs.Count * n];
        var adj = new float[graphs.Count * n * n];
        for (int b = 0; b < graphs.Count; b++)
        {
            var g = graphs[b];
            if (TgNasGraphBuilder.EncodedNodes(g.NodeCount) != n) throw new ArgumentException("All graphs of a batch must have the same encoded size.");
            int o = b * n, a = b * n * n, global = n - 1;
            for (int i = 0; i < n - 1; i++) ops[o + i] = i < g.NodeCount ? table.RowOf(g.NodeDescriptions[i]) : OperatorTable.PadRow;
            ops[o + global] = OperatorTable.GlobalRow;
            for (int i = 0; i < n; i++) adj[a + i * n + i] = 1f;            // self-loops, padded and global nodes included
            for (int i = 0; i < global; i++) adj[a + global * n + i] = 1f;  // every node (padded too) feeds the global node
            foreach (var (from, to) in g.Edges) adj[a + to * n + from] = 1f; // row = receiver
        }
        return new GraphBatch(n, ops, adj);
    }
}
