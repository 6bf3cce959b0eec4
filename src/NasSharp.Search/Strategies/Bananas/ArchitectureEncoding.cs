using NasSharp.Spaces;

namespace NasSharp.Search.Strategies.Bananas;

/// <summary>How BANANAS turns an architecture into predictor features (after NASLib's EncodingType).</summary>
public enum EncodingKind
{
    /// <summary>BANANAS' path encoding: one feature per input→output path, named by the ops along it ("none" edges cut paths).</summary>
    Path,
    /// <summary>One-hot adjacency: one feature per (edge, op) on edge-op spaces, per edge and per (node, op) on node-op spaces.</summary>
    Adjacency,
}

/// <summary>
/// Space-independent feature extraction: an architecture becomes a set of named binary features, and a
/// <see cref="FeatureVocabulary"/> built from the evaluated architectures maps them to vector positions. For NB201 the
/// path features are exactly the 4 + 4² + 4³ op sequences of BANANAS' path encoding that occur in the data.
/// </summary>
public static class ArchitectureEncoding
{
    /// <summary>Upper bound on enumerated paths per architecture (guards spaces with very dense cells).</summary>
    public const int MaxPaths = 4096;

    public static IEnumerable<string> Features(Architecture arch, EncodingKind kind) =>
        kind == EncodingKind.Path ? PathFeatures(arch) : AdjacencyFeatures(arch);

    private static bool IsZero(string? op) => op is "none" or "zero";

    public static IEnumerable<string> AdjacencyFeatures(Architecture arch)
    {
        foreach (var e in arch.Edges)
            yield return arch.Placement == OpPlacement.Edges ? $"e{e.From}>{e.To}:{e.Op}" : $"e{e.From}>{e.To}";
        if (arch.NodeOps is { } ops)
            for (int i = 0; i < ops.Count; i++) yield return $"n{i}:{ops[i]}";
    }

    public static IEnumerable<string> PathFeatures(Architecture arch)
    {
        var outgoing = new List<ArchEdge>[arch.NodeCount];
        for (int i = 0; i < arch.NodeCount; i++) outgoing[i] = [];
        foreach (var e in arch.Edges)
            if (arch.Placement == OpPlacement.Nodes || !IsZero(e.Op)) outgoing[e.From].Add(e);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var stack = new List<string>();
        int output = arch.NodeCount - 1;

        void Walk(int node)
        {
            if (paths.Count >= MaxPaths) return;
            if (node == output) { paths.Add("p:" + string.Join(">", stack)); return; }
            foreach (var e in outgoing[node])
            {
                string label = arch.Placement == OpPlacement.Edges ? e.Op! : e.To == output ? "out" : arch.NodeOps![e.To];
                stack.Add(label);
                Walk(e.To);
                stack.RemoveAt(stack.Count - 1);
            }
        }

        Walk(0);
        return paths;
    }
}

/// <summary>Feature name → vector position, fixed once built from a training set; unknown features are ignored.</summary>
public sealed class FeatureVocabulary
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public FeatureVocabulary(IEnumerable<IEnumerable<string>> featureSets)
    {
        foreach (var set in featureSets)
            foreach (var f in set)
                _index.TryAdd(f, _index.Count);
    }

    public int Size => _index.Count;

    public double[] Encode(IEnumerable<string> features)
    {
        var x = new double[Size];
        foreach (var f in features)
            if (_index.TryGetValue(f, out int i)) x[i] = 1;
        return x;
    }
}
