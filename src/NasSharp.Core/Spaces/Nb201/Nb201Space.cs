using System.Text;

namespace NasSharp.Spaces.Nb201;

/// <summary>
/// NAS-Bench-201: a 4-node cell, one op on each of the 6 forward edges, 5 ops, 5^6 = 15,625 architectures.
/// String form <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>: group j lists the ops feeding node j from nodes 0..j-1.
/// </summary>
public sealed class Nb201Space : ISearchSpace
{
    public const int Nodes = 4, EdgeCount = 6, OpCount = 5;
    public const int SpaceSize = 15625;

    /// <summary>NB201's own op order (CellStructure.gen_all and the index order use it).</summary>
    public static readonly IReadOnlyList<OperationInfo> Ops =
    [
        new("none", "None"),
        new("skip_connect", "Residual connection"),
        new("nor_conv_1x1", "Convolution 1 by 1"),
        new("nor_conv_3x3", "Convolution 3 by 3"),
        new("avg_pool_3x3", "Average pooling 3 by 3"),
    ];

    /// <summary>The 6 edges in string order: (0,1) | (0,2),(1,2) | (0,3),(1,3),(2,3).</summary>
    public static readonly IReadOnlyList<(int From, int To)> EdgeOrder = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)];

    public static Nb201Space Instance { get; } = new();

    public string Name => "nb201";
    public string Title => "NAS-Bench-201: 4-node cell, 5 ops on 6 edges, 15,625 architectures";
    public OpPlacement Placement => OpPlacement.Edges;
    public IReadOnlyList<OperationInfo> Operations => Ops;
    public long? Size => SpaceSize;
    public bool CanEnumerate => true;

    private static readonly Dictionary<string, int> OpIndex =
        Ops.Select((o, i) => (o.Name, i)).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);

    /// <summary>Builds an architecture from 6 op indices (into <see cref="Ops"/>) in <see cref="EdgeOrder"/>.</summary>
    public static Architecture FromOpIndices(ReadOnlySpan<int> ops)
    {
        if (ops.Length != EdgeCount) throw new ArgumentException("NB201 needs 6 op indices.");
        var edges = new ArchEdge[EdgeCount];
        for (int k = 0; k < EdgeCount; k++)
        {
            if ((uint)ops[k] >= OpCount) throw new ArgumentOutOfRangeException(nameof(ops), $"op index {ops[k]} is not in 0..4");
            edges[k] = new ArchEdge(EdgeOrder[k].From, EdgeOrder[k].To, Ops[ops[k]].Name);
        }
        return new Architecture("nb201", Nodes, edges);
    }

    /// <summary>The 6 op indices of an NB201 architecture, in <see cref="EdgeOrder"/>.</summary>
    public static int[] OpIndices(Architecture arch)
    {
        EnsureShape(arch);
        var result = new int[EdgeCount];
        for (int k = 0; k < EdgeCount; k++)
        {
            var e = arch.Edges.FirstOrDefault(x => x.From == EdgeOrder[k].From && x.To == EdgeOrder[k].To);
            if (e.Op is null || !OpIndex.TryGetValue(e.Op, out result[k]))
                throw new NasInputException($"Unknown NB201 operation '{e.Op}' on edge {EdgeOrder[k].From}->{EdgeOrder[k].To}; known: {string.Join(", ", Ops.Select(o => o.Name))}.");
        }
        return result;
    }

    /// <summary>Base-5 code of the op indices (edge 0 most significant): the position in NB201's gen_all order.</summary>
    public static int Code(Architecture arch)
    {
        int code = 0;
        foreach (var op in OpIndices(arch)) code = code * OpCount + op;
        return code;
    }

    public static Architecture FromCode(int code)
    {
        if ((uint)code >= SpaceSize) throw new ArgumentOutOfRangeException(nameof(code));
        Span<int> ops = stackalloc int[EdgeCount];
        for (int k = EdgeCount - 1; k >= 0; k--) { ops[k] = code % OpCount; code /= OpCount; }
        return FromOpIndices(ops);
    }

    public Architecture Parse(string text)
    {
        const string example = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
        string Bad(string why) => $"Malformed NB201 architecture '{text}': {why}. Expected the form {example}";
        if (string.IsNullOrWhiteSpace(text)) throw new NasInputException(Bad("it is empty"));
        var groups = text.Trim().Split('+');
        if (groups.Length != Nodes - 1) throw new NasInputException(Bad($"it has {groups.Length} node groups separated by '+', NB201 has 3"));
        var ops = new int[EdgeCount];
        int k = 0;
        for (int node = 1; node < Nodes; node++)
        {
            var g = groups[node - 1];
            if (g.Length < 2 || g[0] != '|' || g[^1] != '|') throw new NasInputException(Bad($"group {node} '{g}' must start and end with '|'"));
            var items = g[1..^1].Split('|');
            if (items.Length != node) throw new NasInputException(Bad($"node {node} must have {node} input(s), found {items.Length}"));
            var seen = new int[node];
            Array.Fill(seen, -1);
            foreach (var item in items)
            {
                var parts = item.Split('~');
                if (parts.Length != 2 || !int.TryParse(parts[1], out var from) || from < 0 || from >= node)
                    throw new NasInputException(Bad($"'{item}' in group {node} is not 'op~i' with i in 0..{node - 1}"));
                if (!OpIndex.TryGetValue(parts[0], out var op))
                    throw new NasInputException($"Unknown NB201 operation '{parts[0]}' in '{text}'; known operations: {string.Join(", ", Ops.Select(o => o.Name))}.");
                if (seen[from] >= 0) throw new NasInputException(Bad($"node {node} has two inputs from node {from}"));
                seen[from] = op;
            }
            for (int from = 0; from < node; from++) ops[k++] = seen[from];
        }
        return FromOpIndices(ops);
    }

    public string Format(Architecture arch) => FormatOps(OpIndices(arch));

    /// <summary>The string of a base-5 op code (see <see cref="Code"/>).</summary>
    public static string FormatCode(int code)
    {
        Span<int> ops = stackalloc int[EdgeCount];
        for (int k = EdgeCount - 1; k >= 0; k--) { ops[k] = code % OpCount; code /= OpCount; }
        return FormatOps(ops);
    }

    private static string FormatOps(ReadOnlySpan<int> ops)
    {
        var sb = new StringBuilder(110);
        for (int k = 0; k < EdgeCount; k++)
        {
            var (from, to) = EdgeOrder[k];
            if (from == 0 && to > 1) sb.Append('+');
            sb.Append('|').Append(Ops[ops[k]].Name).Append('~').Append(from);
            if (from == to - 1) sb.Append('|');
        }
        return sb.ToString();
    }

    public Architecture Sample(Random rng)
    {
        Span<int> ops = stackalloc int[EdgeCount];
        for (int k = 0; k < EdgeCount; k++) ops[k] = rng.Next(OpCount);
        return FromOpIndices(ops);
    }

    /// <summary>All 15,625 architectures in official index order.</summary>
    public IEnumerable<Architecture> Enumerate()
    {
        for (int i = 0; i < SpaceSize; i++) yield return Nb201Index.ToArchitecture(i);
    }

    public IEnumerable<Architecture> Neighbours(Architecture arch)
    {
        var ops = OpIndices(arch);
        for (int k = 0; k < EdgeCount; k++)
            for (int op = 0; op < OpCount; op++)
            {
                if (op == ops[k]) continue;
                var copy = (int[])ops.Clone();
                copy[k] = op;
                yield return FromOpIndices(copy);
            }
    }

    public Architecture Mutate(Architecture arch, Random rng)
    {
        var ops = OpIndices(arch);
        int k = rng.Next(EdgeCount);
        ops[k] = (ops[k] + 1 + rng.Next(OpCount - 1)) % OpCount;
        return FromOpIndices(ops);
    }

    public bool IsValid(Architecture arch, out string? reason)
    {
        try { OpIndices(arch); reason = null; return true; }
        catch (NasInputException e) { reason = e.Message; return false; }
    }

    /// <summary>
    /// NATS-Bench's unique string (CellStructure.to_unique_str with consider_zero=True): skip connections are
    /// transparent, zero inputs vanish, and the inputs of a node are sorted, so cells that compute the same function
    /// get the same string. It yields the 6,466 classes of the NAS-Bench-201 paper.
    /// </summary>
    public string CanonicalHash(Architecture arch)
    {
        var ops = OpIndices(arch);
        var node = new string[Nodes];
        node[0] = "0";
        int k = 0;
        for (int j = 1; j < Nodes; j++)
        {
            var inputs = new List<string>(j);
            for (int i = 0; i < j; i++, k++)
            {
                string op = Ops[ops[k]].Name, src = node[i];
                inputs.Add(op == "none" || src == "#" ? "#" : op == "skip_connect" ? src : $"({src})@{op}");
            }
            inputs.Sort(StringComparer.Ordinal);
            node[j] = string.Join("+", inputs);
        }
        return node[Nodes - 1];
    }

    /// <summary>True when no path of non-"none" edges leads from the input to the output: the cell outputs zeros.</summary>
    public static bool IsDisconnected(Architecture arch)
    {
        var ops = OpIndices(arch);
        var reach = new bool[Nodes];
        reach[0] = true;
        for (int k = 0; k < EdgeCount; k++)
            if (ops[k] != 0 && reach[EdgeOrder[k].From]) reach[EdgeOrder[k].To] = true;
        return !reach[Nodes - 1];
    }

    private static void EnsureShape(Architecture arch)
    {
        if (arch.Placement != OpPlacement.Edges || arch.NodeCount != Nodes || arch.Edges.Count != EdgeCount)
            throw new NasInputException($"Not an NB201 architecture: expected 4 nodes with an op on each of 6 edges, got {arch}.");
    }
}
