namespace NasSharp.TgNas.Graphs;

/// <summary>
/// An operator-on-node DAG as TG-NAS sees it, before padding and the global node: node i carries the description
/// <see cref="NodeDescriptions"/>[i]; <see cref="Edges"/> are data flow (from, to).
/// </summary>
public sealed record CellGraph(IReadOnlyList<string> NodeDescriptions, IReadOnlyList<(int From, int To)> Edges)
{
    public int NodeCount => NodeDescriptions.Count;
}
