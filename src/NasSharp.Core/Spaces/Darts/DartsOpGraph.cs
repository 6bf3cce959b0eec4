namespace NasSharp.Spaces.Darts;

/// <summary>
/// The ops-on-nodes graphs TG-NAS scores for DARTS genotypes (docs/methods/tg-nas.md §3.4). Node ops are DARTS op names plus
/// <see cref="ArchitectureConversion.InputOp"/>/<see cref="ArchitectureConversion.OutputOp"/>; look their sentences up in
/// <see cref="DartsSpace.Ops"/> (input → "Input", output → "Output").
/// </summary>
public static class DartsOpGraph
{
    /// <summary>
    /// The released code's graph of one cell (11 nodes): 0, 1 = the two cell inputs (both "input"); node 2+i = entry i;
    /// node 10 = "output". An entry with input s ∈ {0,1} is fed by node s, with input s ≥ 2 by the two op-nodes of
    /// intermediate node s (2(s−2)+2 and 2(s−2)+3); every op-node feeds the output (all intermediate nodes are concatenated).
    /// </summary>
    public static Architecture Cell(IReadOnlyList<DartsEntry> cell)
    {
        if (cell.Count != DartsGenotype.EntriesPerCell) throw new NasInputException($"A DARTS cell has 8 entries, got {cell.Count}.");
        var ops = new List<string> { ArchitectureConversion.InputOp, ArchitectureConversion.InputOp };
        ops.AddRange(cell.Select(e => e.Op));
        ops.Add(ArchitectureConversion.OutputOp);
        var edges = new List<ArchEdge>();
        AddCellEdges(edges, cell, in0: 0, in1: 1, firstOp: 2, output: 10);
        return new Architecture("darts", ops.Count, edges, ops);
    }

    /// <summary>The paper-mode graph: the normal cell only, as the released TG-NAS code scores DARTS.</summary>
    public static Architecture NormalCell(DartsGenotype g) => Cell(g.Normal);

    /// <summary>
    /// Our extension (the released code drops the reduction cell): the normal cell followed by the reduction cell, as they sit
    /// in the network: 20 nodes = inputs 0 (c_{k-2}) and 1 (c_{k-1}), normal op-nodes 2..9, normal output 10, reduction
    /// op-nodes 11..18, reduction output 19. The reduction cell's inputs are node 1 (its c_{k-2}) and node 10 (its c_{k-1}).
    /// </summary>
    public static Architecture BothCells(DartsGenotype g)
    {
        var ops = new List<string> { ArchitectureConversion.InputOp, ArchitectureConversion.InputOp };
        ops.AddRange(g.Normal.Select(e => e.Op));
        ops.Add(ArchitectureConversion.OutputOp);
        ops.AddRange(g.Reduce.Select(e => e.Op));
        ops.Add(ArchitectureConversion.OutputOp);
        var edges = new List<ArchEdge>();
        AddCellEdges(edges, g.Normal, in0: 0, in1: 1, firstOp: 2, output: 10);
        AddCellEdges(edges, g.Reduce, in0: 1, in1: 10, firstOp: 11, output: 19);
        return new Architecture("darts", ops.Count, edges, ops);
    }

    private static void AddCellEdges(List<ArchEdge> edges, IReadOnlyList<DartsEntry> cell, int in0, int in1, int firstOp, int output)
    {
        for (int i = 0; i < cell.Count; i++)
        {
            int s = cell[i].Input, me = firstOp + i;
            if (s == 0) edges.Add(new ArchEdge(in0, me));
            else if (s == 1) edges.Add(new ArchEdge(in1, me));
            else
            {
                edges.Add(new ArchEdge(firstOp + 2 * (s - 2), me));
                edges.Add(new ArchEdge(firstOp + 2 * (s - 2) + 1, me));
            }
            edges.Add(new ArchEdge(me, output));
        }
    }
}
