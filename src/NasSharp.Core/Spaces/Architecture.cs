namespace NasSharp.Spaces;

/// <summary>Where a space puts its operation labels: on the edges of the cell DAG (NB201, DARTS) or on its nodes (NB101).</summary>
public enum OpPlacement { Edges, Nodes }

/// <summary>A directed edge of an architecture DAG; <see cref="Op"/> is set only when ops live on edges.</summary>
public readonly record struct ArchEdge(int From, int To, string? Op = null);

/// <summary>
/// An immutable cell architecture: a DAG over nodes 0..NodeCount-1 (node 0 is the input, the last node the output;
/// edges always go from a lower to a higher node, kept sorted by target then source — NB201's string order) with operation
/// labels on edges or on nodes.
/// Equality is structural; functional equivalence (isomorphism) is the space's <see cref="ISearchSpace.CanonicalHash"/>.
/// </summary>
public sealed class Architecture : IEquatable<Architecture>
{
    public Architecture(string space, int nodeCount, IEnumerable<ArchEdge> edges, IEnumerable<string>? nodeOps = null)
    {
        Space = space;
        NodeCount = nodeCount;
        Edges = edges.OrderBy(e => e.To).ThenBy(e => e.From).ThenBy(e => e.Op, StringComparer.Ordinal).ToArray();
        NodeOps = nodeOps?.ToArray();
        foreach (var e in Edges)
            if (e.From < 0 || e.To >= nodeCount || e.From >= e.To)
                throw new ArgumentException($"Edge {e.From}->{e.To} is not a forward edge of a {nodeCount}-node DAG.");
        if (NodeOps is not null && NodeOps.Count != nodeCount)
            throw new ArgumentException($"{NodeOps.Count} node ops given for {nodeCount} nodes.");
        Placement = NodeOps is null ? OpPlacement.Edges : OpPlacement.Nodes;
    }

    /// <summary>Name of the search space this architecture belongs to (e.g. "nb201").</summary>
    public string Space { get; }
    public int NodeCount { get; }
    public IReadOnlyList<ArchEdge> Edges { get; }
    /// <summary>Node labels when <see cref="Placement"/> is <see cref="OpPlacement.Nodes"/>, else null.</summary>
    public IReadOnlyList<string>? NodeOps { get; }
    public OpPlacement Placement { get; }

    /// <summary>Adjacency matrix, [from, to].</summary>
    public bool[,] Adjacency()
    {
        var a = new bool[NodeCount, NodeCount];
        foreach (var e in Edges) a[e.From, e.To] = true;
        return a;
    }

    public bool Equals(Architecture? other) =>
        other is not null && Space == other.Space && NodeCount == other.NodeCount &&
        Edges.SequenceEqual(other.Edges) &&
        (NodeOps is null ? other.NodeOps is null : other.NodeOps is not null && NodeOps.SequenceEqual(other.NodeOps));

    public override bool Equals(object? obj) => Equals(obj as Architecture);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Space); h.Add(NodeCount);
        foreach (var e in Edges) h.Add(e);
        if (NodeOps is not null) foreach (var o in NodeOps) h.Add(o);
        return h.ToHashCode();
    }

    /// <summary>A space-independent description; use the space's Format for its own string form.</summary>
    public override string ToString() => Placement == OpPlacement.Edges
        ? $"{Space}:" + string.Join(",", Edges.Select(e => $"{e.From}-{e.Op}->{e.To}"))
        : $"{Space}:[{string.Join(";", NodeOps!)}]" + string.Join(",", Edges.Select(e => $"{e.From}->{e.To}"));
}
