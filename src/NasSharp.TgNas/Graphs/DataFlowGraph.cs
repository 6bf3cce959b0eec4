using NasSharp.Spaces;

namespace NasSharp.TgNas.Graphs;

/// <summary>
/// How zero and identity operators appear in the TG-NAS graph. <see cref="Paper"/> keeps them as ordinary op nodes
/// ("None", "Residual connection"), as the released code does (spec §3.3). <see cref="DataFlow"/> (our extension, spec
/// §10 "dead paths still count") draws what the cell computes, the way NB101's training graphs are drawn: a zero op
/// carries no data (its node and edges go), an identity op is a plain data-flow edge (its node is contracted), and
/// nodes that no longer lie on an input→output path are dropped — NB101's pruned specs have no such nodes either.
/// </summary>
public enum GraphMode { Paper, DataFlow }

/// <summary>The <see cref="GraphMode.DataFlow"/> rewrite of an ops-on-nodes DAG (node 0 = input, last = output).</summary>
public static class DataFlowGraph
{
    /// <summary>Operator names that output zeros (NB201/DARTS <c>none</c>).</summary>
    public static readonly IReadOnlySet<string> ZeroOps = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "none", "zero", "zeroize", "zeroise" };
    /// <summary>Operator names that pass their input through unchanged.</summary>
    public static readonly IReadOnlySet<string> IdentityOps = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "skip_connect", "identity", "skip" };

    /// <summary>
    /// Removes zero-op nodes, contracts identity-op nodes into edges (every predecessor feeds every successor) and
    /// drops nodes off every input→output path. Input and output always stay, so a cell whose output no longer depends
    /// on its input becomes the two-node graph with no edge. Node order (topological) is preserved.
    /// </summary>
    public static Architecture Simplify(Architecture nodeArch)
    {
        var ops = nodeArch.NodeOps ?? throw new ArgumentException("DataFlowGraph works on ops-on-nodes graphs.");
        int n = nodeArch.NodeCount, output = n - 1;
        var succ = new HashSet<int>[n];
        var pred = new HashSet<int>[n];
        for (int i = 0; i < n; i++) { succ[i] = []; pred[i] = []; }
        foreach (var e in nodeArch.Edges) { succ[e.From].Add(e.To); pred[e.To].Add(e.From); }
        var alive = new bool[n];
        Array.Fill(alive, true);

        for (int v = 1; v < output; v++)
        {
            bool zero = ZeroOps.Contains(ops[v]), identity = IdentityOps.Contains(ops[v]);
            if (!zero && !identity) continue;
            if (identity)
                foreach (int u in pred[v])
                    foreach (int w in succ[v]) { succ[u].Add(w); pred[w].Add(u); }
            foreach (int u in pred[v]) succ[u].Remove(v);
            foreach (int w in succ[v]) pred[w].Remove(v);
            succ[v].Clear(); pred[v].Clear();
            alive[v] = false;
        }

        // Keep nodes reachable from the input that also reach the output (edges go forward, so one pass each way).
        var fromInput = new bool[n];
        fromInput[0] = true;
        for (int v = 0; v < n; v++)
            if (fromInput[v] && alive[v]) foreach (int w in succ[v]) fromInput[w] = true;
        var toOutput = new bool[n];
        toOutput[output] = true;
        for (int v = n - 1; v >= 0; v--)
            if (alive[v]) foreach (int w in succ[v]) if (toOutput[w]) toOutput[v] = true;
        var index = new int[n];
        var keptOps = new List<string>();
        for (int v = 0; v < n; v++)
        {
            bool keep = v == 0 || v == output || (alive[v] && fromInput[v] && toOutput[v]);
            index[v] = keep ? keptOps.Count : -1;
            if (keep) keptOps.Add(ops[v]);
        }
        var edges = new List<ArchEdge>();
        for (int v = 0; v < n; v++)
            if (index[v] >= 0)
                foreach (int w in succ[v])
                    if (index[w] >= 0) edges.Add(new ArchEdge(index[v], index[w]));
        return new Architecture(nodeArch.Space, keptOps.Count, edges, keptOps);
    }
}
