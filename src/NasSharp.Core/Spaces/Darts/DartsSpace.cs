using System.Security.Cryptography;
using System.Text;

namespace NasSharp.Spaces.Darts;

/// <summary>
/// The DARTS / NAS-Bench-301 space: a normal and a reduction cell, each with inputs c_{k-2}, c_{k-1}, 4 intermediate nodes
/// fed by 2 entries (op, input) each, all intermediate nodes concatenated. Sampled ops: the 7 non-zero DARTS primitives
/// (as in NB301 and every derived DARTS genotype); <c>none</c> is known and builds a zero op, but is never sampled.
/// Size: (∏_{m=0..3} C(m+2, 2) · 7²)² = (180 · 7⁸)² ≈ 1.08·10¹⁸ (distinct inputs per node, op per input).
/// <para>
/// <b>Representation in <see cref="Architecture"/></b> (ops on edges, 14 nodes, a disjoint union of the two cells):
/// normal cell nodes 0..6 and reduction cell nodes 7..13; within a cell, local node 0 = c_{k-2}, 1 = c_{k-1},
/// 2..5 = intermediate nodes, 6 = the cell output. A genotype entry (op, i) feeding intermediate node j is the edge
/// (offset+i → offset+j, op); every concatenated node c has an edge (offset+c → offset+6, <see cref="ConcatOp"/>).
/// The order of the two entries of a node is not kept (the edge list is sorted by source), which is harmless: a node sums its inputs.
/// </para>
/// String form (<see cref="Format"/>): the Python genotype notation; <see cref="Parse"/> also reads NB301's
/// <c>NORMAL;REDUCE</c> cell strings and NASLib's compact key (see <see cref="DartsNotation"/>).
/// </summary>
public sealed class DartsSpace : ISearchSpace
{
    public const int CellNodes = 7, NodeCount = 2 * CellNodes, OutputNode = 6;
    /// <summary>Label of the structural edges from the concatenated nodes to the cell output (not a searchable op).</summary>
    public const string ConcatOp = "concat";

    /// <summary>
    /// The DARTS primitives with English descriptions in the same words as NB201/NB101 ("Convolution 3 by 3", "Max pooling 3 by 3"),
    /// so ops TG-NAS saw in training get the same sentence here. (The released TG-NAS DARTS code writes "3x3" here but "3 by 3" in training.)
    /// </summary>
    public static readonly IReadOnlyList<OperationInfo> Ops =
    [
        new("none", "None"),
        new("max_pool_3x3", "Max pooling 3 by 3"),
        new("avg_pool_3x3", "Average pooling 3 by 3"),
        new("skip_connect", "Residual connection"),
        new("sep_conv_3x3", "Depth-wise separable convolution 3 by 3"),
        new("sep_conv_5x5", "Depth-wise separable convolution 5 by 5"),
        new("dil_conv_3x3", "Dilated convolution 3 by 3"),
        new("dil_conv_5x5", "Dilated convolution 5 by 5"),
    ];

    /// <summary>The ops drawn by sampling and mutation (all but none).</summary>
    public static readonly IReadOnlyList<string> SampledOps = Ops.Skip(1).Select(o => o.Name).ToArray();

    private static readonly HashSet<string> KnownOps = Ops.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    public static DartsSpace Instance { get; } = new();

    public string Name => "darts";
    public string Title => "DARTS / NAS-Bench-301: normal + reduction cell, 4 nodes × 2 inputs, 7 ops, ~1.08e18 architectures";
    public OpPlacement Placement => OpPlacement.Edges;
    public IReadOnlyList<OperationInfo> Operations => Ops;
    public long? Size { get; } = CountSpace();
    public bool CanEnumerate => false;

    private static long CountSpace()
    {
        long perCell = 1;
        for (int m = 0; m < DartsGenotype.IntermediateNodes; m++) perCell *= (m + 2) * (m + 1) / 2 * SampledOps.Count * SampledOps.Count;
        return checked(perCell * perCell);
    }

    // ---- genotype <-> architecture ----------------------------------------------------------------------------

    /// <summary>The 14-node architecture of a genotype (validated).</summary>
    public static Architecture ToArchitecture(DartsGenotype g)
    {
        Validate(g);
        var edges = new List<ArchEdge>(2 * (DartsGenotype.EntriesPerCell + 4));
        foreach (var reduction in new[] { false, true })
        {
            int offset = reduction ? CellNodes : 0;
            var cell = g.Cell(reduction);
            for (int k = 0; k < cell.Count; k++)
                edges.Add(new ArchEdge(offset + cell[k].Input, offset + 2 + k / 2, cell[k].Op));
            foreach (var c in g.Concat(reduction)) edges.Add(new ArchEdge(offset + c, offset + OutputNode, ConcatOp));
        }
        return new Architecture("darts", NodeCount, edges);
    }

    /// <summary>The genotype of a DARTS architecture; the two entries of a node are listed by input node.</summary>
    public static DartsGenotype ToGenotype(Architecture arch)
    {
        if (arch.Placement != OpPlacement.Edges || arch.NodeCount != NodeCount)
            throw new NasInputException($"Not a DARTS architecture: expected 14 nodes with ops on edges (normal cell 0..6, reduction cell 7..13), got {arch}.");
        var cells = new List<DartsEntry>[2];
        var concats = new List<int>[2];
        for (int c = 0; c < 2; c++) { cells[c] = new List<DartsEntry>(8); concats[c] = new List<int>(4); }
        foreach (var e in arch.Edges) // sorted by target, then source: entries come out in genotype order
        {
            int cell = e.To / CellNodes, offset = cell * CellNodes;
            if (e.From / CellNodes != cell) throw new NasInputException($"DARTS architecture has an edge {e.From}->{e.To} between the two cells.");
            int to = e.To - offset, from = e.From - offset;
            if (to == OutputNode)
            {
                if (e.Op != ConcatOp) throw new NasInputException($"Edge {e.From}->{e.To} into the cell output must be '{ConcatOp}', found '{e.Op}'.");
                concats[cell].Add(from);
            }
            else cells[cell].Add(new DartsEntry(e.Op ?? "", from));
        }
        var g = new DartsGenotype(cells[0], concats[0], cells[1], concats[1]);
        Validate(g);
        return g;
    }

    /// <summary>Throws <see cref="NasInputException"/> naming the first problem of the genotype.</summary>
    public static void Validate(DartsGenotype g)
    {
        foreach (var reduction in new[] { false, true })
        {
            string which = reduction ? "reduce" : "normal";
            var cell = g.Cell(reduction);
            if (cell.Count != DartsGenotype.EntriesPerCell)
                throw new NasInputException($"The {which} cell has {cell.Count} entries; a DARTS cell has 8 (two per intermediate node 2..5).");
            for (int k = 0; k < cell.Count; k++)
            {
                int node = 2 + k / 2;
                var e = cell[k];
                if (!KnownOps.Contains(e.Op))
                    throw new NasInputException($"Unknown DARTS operation '{e.Op}' in the {which} cell; known: {string.Join(", ", Ops.Select(o => o.Name))}.");
                if (e.Input < 0 || e.Input >= node)
                    throw new NasInputException($"Entry {k} ({e.Op}, {e.Input}) of the {which} cell feeds node {node}, so its input must be in 0..{node - 1}.");
            }
            for (int k = 0; k < cell.Count; k += 2)
                if (cell[k].Input == cell[k + 1].Input)
                    throw new NasInputException($"Node {2 + k / 2} of the {which} cell takes both inputs from node {cell[k].Input}; DARTS nodes have two distinct inputs.");
            var concat = g.Concat(reduction);
            if (!concat.SequenceEqual(DartsGenotype.FullConcat))
                throw new NasInputException($"{which}_concat is [{string.Join(", ", concat)}]; the DARTS space concatenates all intermediate nodes, [2, 3, 4, 5].");
        }
    }

    // ---- ISearchSpace -----------------------------------------------------------------------------------------

    public Architecture Parse(string text) => ToArchitecture(DartsNotation.Parse(text));

    public string Format(Architecture arch) => DartsNotation.FormatPython(ToGenotype(arch));

    public Architecture Sample(Random rng)
    {
        var cells = new List<DartsEntry>[2];
        for (int c = 0; c < 2; c++)
        {
            cells[c] = new List<DartsEntry>(8);
            for (int m = 0; m < DartsGenotype.IntermediateNodes; m++)
            {
                int preds = m + 2, a = rng.Next(preds), b = rng.Next(preds - 1);
                if (b >= a) b++;
                cells[c].Add(new DartsEntry(SampledOps[rng.Next(SampledOps.Count)], a));
                cells[c].Add(new DartsEntry(SampledOps[rng.Next(SampledOps.Count)], b));
            }
        }
        return ToArchitecture(new DartsGenotype(cells[0], cells[1]));
    }

    public IEnumerable<Architecture> Enumerate() =>
        throw new NasInputException("The DARTS space (~1.08e18 architectures) is too large to enumerate; sample it instead.");

    /// <summary>One entry changed: its op (to another of the 7 sampled ops) or its input (to another predecessor not used by the node). 120 neighbours.</summary>
    public IEnumerable<Architecture> Neighbours(Architecture arch)
    {
        var g = ToGenotype(arch);
        foreach (var reduction in new[] { false, true })
        {
            var cell = g.Cell(reduction);
            for (int k = 0; k < cell.Count; k++)
            {
                foreach (var op in SampledOps)
                    if (op != cell[k].Op) yield return ToArchitecture(Replace(g, reduction, k, cell[k] with { Op = op }));
                int node = 2 + k / 2, other = cell[k ^ 1].Input;
                for (int input = 0; input < node; input++)
                    if (input != cell[k].Input && input != other)
                        yield return ToArchitecture(Replace(g, reduction, k, cell[k] with { Input = input }));
            }
        }
    }

    public Architecture Mutate(Architecture arch, Random rng)
    {
        var all = Neighbours(arch).ToList();
        return all[rng.Next(all.Count)];
    }

    private static DartsGenotype Replace(DartsGenotype g, bool reduction, int k, DartsEntry entry)
    {
        var cell = g.Cell(reduction).ToArray();
        cell[k] = entry;
        return reduction ? g with { Reduce = cell } : g with { Normal = cell };
    }

    public bool IsValid(Architecture arch, out string? reason)
    {
        try { ToGenotype(arch); reason = null; return true; }
        catch (NasInputException e) { reason = e.Message; return false; }
    }

    /// <summary>SHA-256 (first 16 bytes, hex) of <see cref="CanonicalForm"/>.</summary>
    public string CanonicalHash(Architecture arch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(ToGenotype(arch)))).AsSpan(0, 16));

    /// <summary>
    /// A string equal for genotypes that compute the same function up to relabelling: each node is written as the sorted
    /// multiset of its input terms, each term op(input's form) with the input expanded recursively; a stride-1
    /// <c>skip_connect</c> is transparent (it is the identity) and <c>none</c> terms vanish; the cell output is the sorted
    /// multiset of its concatenated nodes (concatenation order is a channel permutation, absorbed by the next 1×1 conv).
    /// So swapping the two entries of a node, or renumbering independent intermediate nodes, keeps the form.
    /// In the reduction cell, skip_connect from c_{k-2}/c_{k-1} has stride 2 (a FactorizedReduce) and is kept as an op.
    /// </summary>
    public static string CanonicalForm(DartsGenotype g) => "N" + CellForm(g, false) + "R" + CellForm(g, true);

    private static string CellForm(DartsGenotype g, bool reduction)
    {
        var cell = g.Cell(reduction);
        var form = new string[2 + DartsGenotype.IntermediateNodes];
        form[0] = "a"; form[1] = "b";
        for (int m = 0; m < DartsGenotype.IntermediateNodes; m++)
        {
            var terms = new List<string>(2);
            for (int j = 2 * m; j < 2 * m + 2; j++)
            {
                var (op, input) = (cell[j].Op, cell[j].Input);
                bool stride2 = reduction && input < 2;
                if (op == "none") continue;
                terms.Add(op == "skip_connect" && !stride2 ? form[input] : $"{op}({form[input]})");
            }
            terms.Sort(StringComparer.Ordinal);
            form[m + 2] = "[" + string.Join("+", terms) + "]";
        }
        var outs = g.Concat(reduction).Select(c => form[c]).OrderBy(s => s, StringComparer.Ordinal);
        return "{" + string.Join(",", outs) + "}";
    }
}
