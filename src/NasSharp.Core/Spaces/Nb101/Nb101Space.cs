using System.Security.Cryptography;
using System.Text;

namespace NasSharp.Spaces.Nb101;

/// <summary>
/// NAS-Bench-101: a cell of at most 7 nodes with ops on nodes (input, up to 5 of conv3x3-bn-relu / conv1x1-bn-relu /
/// maxpool3x3, output), an upper-triangular adjacency with at most 9 edges, 423,624 unique cells.
/// String form: <c>ADJACENCY:OPS</c> — the n×n matrix as n² digits row by row, then the n ops joined by ',' (';' also accepted),
/// e.g. <c>0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output</c>.
/// </summary>
public sealed class Nb101Space : ISearchSpace
{
    public const int MaxVertices = 7, MaxEdges = 9;
    public const long UniqueCells = 423_624;

    public static readonly IReadOnlyList<OperationInfo> Ops =
    [
        new("input", "Input"),
        new("conv3x3-bn-relu", "Convolution 3 by 3"),
        new("conv1x1-bn-relu", "Convolution 1 by 1"),
        new("maxpool3x3", "Max pooling 3 by 3"),
        new("output", "Output"),
    ];

    /// <summary>The ops an inner node may take, in NB101's canonical order (its hash labels them 0, 1, 2).</summary>
    public static readonly IReadOnlyList<string> InnerOps = ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["input"] = "input", ["output"] = "output",
        ["conv3x3-bn-relu"] = "conv3x3-bn-relu", ["conv3x3"] = "conv3x3-bn-relu",
        ["conv1x1-bn-relu"] = "conv1x1-bn-relu", ["conv1x1"] = "conv1x1-bn-relu",
        ["maxpool3x3"] = "maxpool3x3",
    };

    public static Nb101Space Instance { get; } = new();

    public string Name => "nb101";
    public string Title => "NAS-Bench-101: up to 7 nodes, 3 ops on nodes, at most 9 edges, 423,624 unique cells";
    public OpPlacement Placement => OpPlacement.Nodes;
    public IReadOnlyList<OperationInfo> Operations => Ops;
    public long? Size => UniqueCells;
    /// <summary>Listing all cells means hashing ~1.3 M labelled graphs; we do not offer it.</summary>
    public bool CanEnumerate => false;

    /// <summary>Builds an architecture from a 0/1 adjacency (row = from) and node ops.</summary>
    public static Architecture Create(bool[,] adjacency, IReadOnlyList<string> ops)
    {
        int n = ops.Count;
        var edges = new List<ArchEdge>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (adjacency[i, j])
                {
                    if (j <= i) throw new NasInputException($"NB101 adjacency must be strictly upper-triangular; found an edge {i}->{j}.");
                    edges.Add(new ArchEdge(i, j));
                }
        return new Architecture("nb101", n, edges, ops);
    }

    public Architecture Parse(string text)
    {
        const string example = "0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output";
        string Bad(string why) => $"Malformed NB101 architecture '{text}': {why}. Expected ADJACENCY:OPS, e.g. {example}";
        if (string.IsNullOrWhiteSpace(text)) throw new NasInputException(Bad("it is empty"));
        var parts = text.Trim().Split(':');
        if (parts.Length != 2) throw new NasInputException(Bad("expected exactly one ':' between adjacency and ops"));
        var opNames = parts[1].Split(',', ';');
        int n = opNames.Length;
        if (n < 2 || n > MaxVertices) throw new NasInputException(Bad($"{n} ops given, NB101 cells have 2..7 nodes"));
        if (parts[0].Length != n * n) throw new NasInputException(Bad($"the adjacency has {parts[0].Length} digits, {n} ops need {n * n}"));
        var ops = new string[n];
        for (int i = 0; i < n; i++)
        {
            if (!Aliases.TryGetValue(opNames[i].Trim(), out var op))
                throw new NasInputException($"Unknown NB101 operation '{opNames[i]}' in '{text}'; known operations: {string.Join(", ", Ops.Select(o => o.Name))}.");
            ops[i] = op;
        }
        var adj = new bool[n, n];
        for (int k = 0; k < n * n; k++)
        {
            char c = parts[0][k];
            if (c != '0' && c != '1') throw new NasInputException(Bad($"adjacency digit '{c}' at position {k} is not 0 or 1"));
            adj[k / n, k % n] = c == '1';
        }
        var arch = Create(adj, ops);
        if (!IsWellFormed(arch, out var why)) throw new NasInputException(Bad(why!));
        return arch;
    }

    public string Format(Architecture arch)
    {
        var a = arch.Adjacency();
        var sb = new StringBuilder(arch.NodeCount * arch.NodeCount + 64);
        for (int i = 0; i < arch.NodeCount; i++)
            for (int j = 0; j < arch.NodeCount; j++) sb.Append(a[i, j] ? '1' : '0');
        return sb.Append(':').Append(string.Join(",", arch.NodeOps ?? [])).ToString();
    }

    /// <summary>NB101's own sampler: a random 7×7 upper-triangular matrix and random ops, kept when valid; returned pruned.</summary>
    public Architecture Sample(Random rng)
    {
        while (true)
        {
            var adj = new bool[MaxVertices, MaxVertices];
            for (int i = 0; i < MaxVertices; i++)
                for (int j = i + 1; j < MaxVertices; j++) adj[i, j] = rng.Next(2) == 1;
            var ops = new string[MaxVertices];
            ops[0] = "input"; ops[^1] = "output";
            for (int v = 1; v < MaxVertices - 1; v++) ops[v] = InnerOps[rng.Next(InnerOps.Count)];
            var pruned = Prune(Create(adj, ops));
            if (pruned is not null && pruned.Edges.Count <= MaxEdges) return pruned;
        }
    }

    public IEnumerable<Architecture> Enumerate() =>
        throw new NotSupportedException("NB101 has 423,624 cells; enumerating them is not offered. Use Sample or the benchmark table.");

    /// <summary>
    /// One op changed, one edge flipped in the 7-node padded cell, or one new node inserted between an existing node and
    /// the output (so even the input→output cell has neighbours); results are pruned, kept when valid and distinct by hash.
    /// </summary>
    public IEnumerable<Architecture> Neighbours(Architecture arch)
    {
        var start = Prune(arch) ?? throw new NasInputException($"NB101 cell {Format(arch)} has no input→output path.");
        var seen = new HashSet<string> { CanonicalHash(start) };
        var (adj, ops) = Padded(start);
        int n = MaxVertices;
        for (int v = 1; v < n - 1; v++)
            foreach (var op in InnerOps)
            {
                if (op == ops[v]) continue;
                var o2 = (string[])ops.Clone(); o2[v] = op;
                if (TryCandidate(adj, o2, seen, out var c)) yield return c!;
            }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                var a2 = (bool[,])adj.Clone(); a2[i, j] = !a2[i, j];
                if (TryCandidate(a2, ops, seen, out var c)) yield return c!;
            }
        int pad = start.NodeCount - 1; // first padding node; all padding nodes are interchangeable
        if (pad >= n - 1) yield break;
        for (int u = 0; u < pad; u++)
            foreach (var op in InnerOps)
            {
                var a2 = (bool[,])adj.Clone(); a2[u, pad] = true; a2[pad, n - 1] = true;
                var o2 = (string[])ops.Clone(); o2[pad] = op;
                if (TryCandidate(a2, o2, seen, out var c)) yield return c!;
            }
    }

    public Architecture Mutate(Architecture arch, Random rng)
    {
        var all = Neighbours(arch).ToList();
        return all.Count == 0 ? arch : all[rng.Next(all.Count)];
    }

    private bool TryCandidate(bool[,] adj, string[] ops, HashSet<string> seen, out Architecture? result)
    {
        result = Prune(Create(adj, ops));
        return result is not null && result.Edges.Count <= MaxEdges && seen.Add(CanonicalHash(result));
    }

    /// <summary>The cell padded to 7 nodes: extra unconnected conv3x3 nodes inserted just before the output.</summary>
    private static (bool[,] Adj, string[] Ops) Padded(Architecture arch)
    {
        int n = arch.NodeCount, pad = MaxVertices - n;
        int Map(int v) => v == n - 1 ? MaxVertices - 1 : v;
        var adj = new bool[MaxVertices, MaxVertices];
        foreach (var e in arch.Edges) adj[Map(e.From), Map(e.To)] = true;
        var ops = new string[MaxVertices];
        for (int v = 0; v < n - 1; v++) ops[v] = arch.NodeOps![v];
        for (int v = n - 1; v < n - 1 + pad; v++) ops[v] = InnerOps[0];
        ops[^1] = "output";
        return (adj, ops);
    }

    public bool IsValid(Architecture arch, out string? reason)
    {
        if (!IsWellFormed(arch, out reason)) return false;
        var pruned = Prune(arch);
        if (pruned is null) { reason = "no path from input to output"; return false; }
        if (pruned.Edges.Count > MaxEdges) { reason = $"{pruned.Edges.Count} edges after pruning, NB101 allows at most {MaxEdges}"; return false; }
        return true;
    }

    private static bool IsWellFormed(Architecture arch, out string? reason)
    {
        reason = null;
        var ops = arch.NodeOps;
        if (arch.Space != "nb101" || ops is null) reason = "not an NB101 (ops-on-nodes) architecture";
        else if (arch.NodeCount < 2 || arch.NodeCount > MaxVertices) reason = $"{arch.NodeCount} nodes, NB101 allows 2..7";
        else if (ops[0] != "input") reason = $"the first op must be 'input', not '{ops[0]}'";
        else if (ops[^1] != "output") reason = $"the last op must be 'output', not '{ops[^1]}'";
        else if (ops.Skip(1).Take(ops.Count - 2).FirstOrDefault(o => !InnerOps.Contains(o)) is { } bad)
            reason = $"inner op '{bad}' must be one of {string.Join(", ", InnerOps)}";
        return reason is null;
    }

    /// <summary>
    /// Removes nodes not on any input→output path (NB101's ModelSpec._prune). Returns null when the output is unreachable.
    /// </summary>
    public static Architecture? Prune(Architecture arch)
    {
        int n = arch.NodeCount;
        var a = arch.Adjacency();
        var fromInput = new bool[n]; fromInput[0] = true;
        for (int j = 1; j < n; j++) for (int i = 0; i < j; i++) if (a[i, j] && fromInput[i]) { fromInput[j] = true; break; }
        var toOutput = new bool[n]; toOutput[n - 1] = true;
        for (int i = n - 2; i >= 0; i--) for (int j = i + 1; j < n; j++) if (a[i, j] && toOutput[j]) { toOutput[i] = true; break; }
        if (!fromInput[n - 1]) return null;
        var keep = Enumerable.Range(0, n).Where(v => fromInput[v] && toOutput[v]).ToArray();
        if (keep.Length == n) return arch;
        var newIndex = new int[n];
        for (int k = 0; k < keep.Length; k++) newIndex[keep[k]] = k;
        var edges = arch.Edges.Where(e => fromInput[e.From] && toOutput[e.From] && fromInput[e.To] && toOutput[e.To])
            .Select(e => new ArchEdge(newIndex[e.From], newIndex[e.To]));
        return new Architecture(arch.Space, keep.Length, edges, keep.Select(v => arch.NodeOps![v]));
    }

    /// <summary>NB101's graph hash (graph_util.hash_module) of the pruned cell: equal for relabelled (isomorphic) cells.</summary>
    public string CanonicalHash(Architecture arch)
    {
        var pruned = Prune(arch) ?? throw new NasInputException($"NB101 cell {Format(arch)} has no input→output path, so it has no graph hash.");
        return HashModule(pruned);
    }

    /// <summary>
    /// Weisfeiler–Lehman-style MD5 hashing exactly as nasbench's graph_util.hash_module, so hashes equal NB101's keys:
    /// start from md5(str((out_degree, in_degree, label))), then |V| rounds of md5(sorted(in) | sorted(out) | self).
    /// </summary>
    public static string HashModule(Architecture arch)
    {
        int n = arch.NodeCount;
        var a = arch.Adjacency();
        var ops = arch.NodeOps!;
        var hashes = new string[n];
        for (int v = 0; v < n; v++)
        {
            int outDeg = 0, inDeg = 0;
            for (int w = 0; w < n; w++) { if (a[v, w]) outDeg++; if (a[w, v]) inDeg++; }
            int label = v == 0 ? -1 : v == n - 1 ? -2 : IndexOfInnerOp(ops[v]);
            hashes[v] = Md5($"({outDeg}, {inDeg}, {label})");
        }
        for (int round = 0; round < n; round++)
        {
            var next = new string[n];
            for (int v = 0; v < n; v++)
            {
                var ins = new List<string>(); var outs = new List<string>();
                for (int w = 0; w < n; w++) { if (a[w, v]) ins.Add(hashes[w]); if (a[v, w]) outs.Add(hashes[w]); }
                ins.Sort(StringComparer.Ordinal); outs.Sort(StringComparer.Ordinal);
                next[v] = Md5(string.Concat(ins) + "|" + string.Concat(outs) + "|" + hashes[v]);
            }
            hashes = next;
        }
        var sorted = hashes.OrderBy(h => h, StringComparer.Ordinal);
        return Md5("[" + string.Join(", ", sorted.Select(h => $"'{h}'")) + "]");
    }

    private static int IndexOfInnerOp(string op)
    {
        for (int i = 0; i < InnerOps.Count; i++) if (InnerOps[i] == op) return i;
        throw new NasInputException($"Unknown NB101 operation '{op}'; inner ops are {string.Join(", ", InnerOps)}.");
    }

    private static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));
}
