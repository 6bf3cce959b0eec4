namespace NasSharp.TgNas.Graphs;

/// <summary>
/// How a DARTS genotype becomes a TG-NAS graph (docs/tgnas.md, "DARTS"). The released code scores the normal cell only
/// (<see cref="Normal"/>, the paper mode); the other two are our extensions that also see the reduction cell.
/// </summary>
public enum DartsGraphMode
{
    /// <summary>The normal cell alone (11 nodes): the released TG-NAS code's graph.</summary>
    Normal,
    /// <summary>Both cells as one 20-node graph, wired as they sit in the network (<c>DartsOpGraph.BothCells</c>).</summary>
    Both,
    /// <summary>The mean of two scores: the normal cell's graph and the reduction cell's graph, each scored alone.</summary>
    Mean,
}
