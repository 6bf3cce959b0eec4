namespace NasSharp.Spaces;

/// <summary>Converts between the two labelling conventions without changing what the cell computes.</summary>
public static class ArchitectureConversion
{
    public const string InputOp = "input";
    public const string OutputOp = "output";

    /// <summary>
    /// Ops-on-edges → ops-on-nodes (line graph): every labelled edge becomes a node; edge a→b feeds every edge
    /// leaving b; edges into the cell output feed a new output node. Node 0 is "input", the last node "output".
    /// This is the graph TG-NAS builds for NB201.
    /// </summary>
    public static Architecture EdgeOpsToNodeOps(Architecture arch)
    {
        if (arch.Placement != OpPlacement.Edges) return arch;
        var ops = new List<string> { InputOp };
        ops.AddRange(arch.Edges.Select(e => e.Op ?? throw new ArgumentException("An edge of an ops-on-edges architecture has no op.")));
        ops.Add(OutputOp);
        int n = ops.Count, last = arch.NodeCount - 1;
        var edges = new List<ArchEdge>();
        for (int i = 0; i < arch.Edges.Count; i++)
        {
            var e = arch.Edges[i];
            if (e.From == 0) edges.Add(new ArchEdge(0, i + 1));
            if (e.To == last) edges.Add(new ArchEdge(i + 1, n - 1));
            for (int k = 0; k < arch.Edges.Count; k++)
                if (arch.Edges[k].From == e.To) edges.Add(new ArchEdge(i + 1, k + 1));
        }
        return new Architecture(arch.Space, n, edges, ops);
    }

    /// <summary>
    /// Ops-on-nodes → ops-on-edges: node v (op o) becomes the edge v_in -o-> v_out; a data-flow edge u→v becomes
    /// u_out -skip_connect-> v_in. The input node keeps one node (its op is the identity), so does the output.
    /// </summary>
    public static Architecture NodeOpsToEdgeOps(Architecture arch, string identityOp = "skip_connect")
    {
        if (arch.Placement != OpPlacement.Nodes) return arch;
        int n = arch.NodeCount;
        // node 0 -> 0; inner node v -> (2v-1 in, 2v out); output -> 2n-3.
        int In(int v) => v == 0 ? 0 : v == n - 1 ? 2 * n - 3 : 2 * v - 1;
        int Out(int v) => v == 0 ? 0 : v == n - 1 ? 2 * n - 3 : 2 * v;
        var edges = new List<ArchEdge>();
        for (int v = 1; v < n - 1; v++) edges.Add(new ArchEdge(In(v), Out(v), arch.NodeOps![v]));
        foreach (var e in arch.Edges) edges.Add(new ArchEdge(Out(e.From), In(e.To), identityOp));
        return new Architecture(arch.Space, Math.Max(2, 2 * n - 2), edges);
    }
}
