using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Diffusion.Encoding;

/// <summary>
/// NB201 as DiffusionNAG encodes it (spec §2.1): 8 nodes = input, the 6 edges in string order as op nodes, output;
/// 7 op types <c>input, output, none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3</c>. The adjacency is the
/// true data flow of that node order (the released code swaps nodes 3 and 4, spec §9 #1; <see cref="Nb201Encoding(bool)"/>
/// reproduces it on request).
/// </summary>
public sealed class Nb201Encoding : IDiffusionEncoding
{
    public const int NodeCount = 8, TypeCount = 7, InputType = 0, OutputType = 1;
    /// <summary>Column of NB201 op k (Nb201Space.Ops order) in X.</summary>
    public const int FirstOpType = 2;

    public static readonly IReadOnlyList<string> TypeNames =
        ["input", "output", .. Nb201Space.Ops.Select(o => o.Name)];

    public static Nb201Encoding Instance { get; } = new();

    public Nb201Encoding(bool releasedCodeAdjacency = false)
    {
        ReleasedCodeAdjacency = releasedCodeAdjacency;
        Adjacency = releasedCodeAdjacency ? ReleasedAdjacency() : DataFlowAdjacency();
    }

    public bool ReleasedCodeAdjacency { get; }
    public string SpaceName => "nb201";
    public ISearchSpace Space => Nb201Space.Instance;
    public int Nodes => NodeCount;
    public int OpTypes => TypeCount;
    public bool[,] Adjacency { get; }

    /// <summary>Op node k+1 carries edge k = (from, to); it feeds op nodes of edges leaving `to`, or the output if `to` is the cell output.</summary>
    private static bool[,] DataFlowAdjacency()
    {
        var a = new bool[NodeCount, NodeCount];
        var edges = Nb201Space.EdgeOrder;
        for (int k = 0; k < edges.Count; k++)
        {
            if (edges[k].From == 0) a[0, k + 1] = true;
            if (edges[k].To == Nb201Space.Nodes - 1) a[k + 1, NodeCount - 1] = true;
            for (int m = 0; m < edges.Count; m++)
                if (edges[m].From == edges[k].To) a[k + 1, m + 1] = true;
        }
        return a;
    }

    /// <summary>The hard-coded matrix of the released code (0→1, 0→2, 0→3, 1→4, 1→5, 2→6, 3→7, 4→6, 5→7, 6→7).</summary>
    private static bool[,] ReleasedAdjacency()
    {
        var a = new bool[NodeCount, NodeCount];
        foreach (var (f, t) in new[] { (0, 1), (0, 2), (0, 3), (1, 4), (1, 5), (2, 6), (3, 7), (4, 6), (5, 7), (6, 7) }) a[f, t] = true;
        return a;
    }

    public void Encode(Architecture arch, Span<float> x)
    {
        if (x.Length != NodeCount * TypeCount) throw new ArgumentException($"X needs {NodeCount * TypeCount} entries.");
        x.Clear();
        var ops = Nb201Space.OpIndices(arch);
        x[InputType] = 1f;
        for (int k = 0; k < ops.Length; k++) x[(k + 1) * TypeCount + FirstOpType + ops[k]] = 1f;
        x[(NodeCount - 1) * TypeCount + OutputType] = 1f;
    }

    /// <summary>Validity (is_valid_NAS201_x): every row one-hot, row 0 input, row 7 output, rows 1–6 an NB201 op.</summary>
    public Architecture? Decode(ReadOnlySpan<float> x, out string? reason)
    {
        if (x.Length != NodeCount * TypeCount) { reason = $"X must have {NodeCount * TypeCount} entries."; return null; }
        Span<int> ops = stackalloc int[Nb201Space.EdgeCount];
        for (int row = 0; row < NodeCount; row++)
        {
            int type = -1;
            for (int c = 0; c < TypeCount; c++)
            {
                float v = x[row * TypeCount + c];
                if (v == 1f)
                {
                    if (type >= 0) { reason = $"row {row} has several op types"; return null; }
                    type = c;
                }
                else if (v != 0f) { reason = $"row {row} holds {v}, not 0/1"; return null; }
            }
            if (type < 0) { reason = $"row {row} has no op type"; return null; }
            if (row == 0 && type != InputType) { reason = "row 0 is not the input"; return null; }
            if (row == NodeCount - 1 && type != OutputType) { reason = "row 7 is not the output"; return null; }
            if (row > 0 && row < NodeCount - 1)
            {
                if (type < FirstOpType) { reason = $"row {row} is an input/output node inside the cell"; return null; }
                ops[row - 1] = type - FirstOpType;
            }
        }
        reason = null;
        return Nb201Space.FromOpIndices(ops);
    }

    public string Key(Architecture arch) => Nb201Space.Instance.Format(arch);
}
