using NasSharp.Spaces;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Diffusion.Encoding;

/// <summary>
/// The once-for-all MobileNetV3 space as DiffusionNAG encodes it (spec §2.2): 20 layer slots × 9 op types
/// (3·kernel_index + expand_index), all-zero rows for slots a stage's depth skips, the chain slot i → i+1 as the constant
/// adjacency. The resolution is not generated: decoded architectures get <see cref="Resolution"/> (224, as DiffusionNAG
/// trains every generated net), and <see cref="Key"/> ignores it.
/// </summary>
public sealed class Mbv3Encoding : IDiffusionEncoding
{
    public static Mbv3Encoding Instance { get; } = new();

    public Mbv3Encoding(int resolution = Mbv3DiffusionEncoding.DefaultResolution)
    {
        Mbv3FixedResolutionSpace.ValidateResolution(resolution);
        Resolution = resolution;
        var chain = Mbv3DiffusionEncoding.ChainAdjacency();
        Adjacency = new bool[Nodes, Nodes];
        for (int i = 0; i < Nodes; i++)
            for (int j = 0; j < Nodes; j++) Adjacency[i, j] = chain[i, j] != 0;
    }

    private static bool[,] StageMask()
    {
        int n = Mbv3DiffusionEncoding.Nodes, per = Mbv3Config.SlotsPerStage;
        var m = new bool[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] = i / per == j / per || Math.Abs(i - j) == 1;
        return m;
    }

    /// <summary>Resolution given to decoded architectures.</summary>
    public int Resolution { get; }
    public string SpaceName => "mbv3";
    public ISearchSpace Space => Mbv3Space.Instance;
    public int Nodes => Mbv3DiffusionEncoding.Nodes;
    public int OpTypes => Mbv3DiffusionEncoding.OpTypes;
    public bool[,] Adjacency { get; }

    /// <summary>
    /// Every slot attends to all slots of its stage (itself included) and to its chain neighbours in the adjacent stages.
    /// The released chain mask lets a slot see only its successor, so slot 4 cannot see whether slot 3 is empty; the depth
    /// rule is a per-stage constraint (docs/diffusionnag.md, MBv3 section, for the measurements).
    /// </summary>
    public bool[,] AttentionMask { get; } = StageMask();

    /// <summary>
    /// Slot within the stage (0–3), the released code's stage-wise position encoding. With the plain node index the model
    /// had to tell 20 positions apart to learn that slots 1–2 are never empty; it did not (0.4 % valid, docs/diffusionnag.md).
    /// </summary>
    public int[] NodePositions { get; } = Enumerable.Range(0, Mbv3DiffusionEncoding.Nodes).Select(i => i % Mbv3Config.SlotsPerStage).ToArray();

    /// <summary>Positions as strong as the op embedding: at the released 1/8 strength a 2-block model trained for minutes
    /// still left slots 1–2 empty in 10 % of rows; scaled, it learns the depth rule ≈ 5× sooner (docs/diffusionnag.md).</summary>
    public bool ScaledPositions => true;

    public void Encode(Architecture arch, Span<float> x)
    {
        if (x.Length != Nodes * OpTypes) throw new ArgumentException($"X needs {Nodes * OpTypes} entries.");
        var c = Mbv3Space.ToConfig(arch);
        x.Clear();
        for (int i = 0; i < Nodes; i++)
            if (c.OpType(i) is var t and >= 0) x[i * OpTypes + t] = 1f;
    }

    /// <summary>Validity (is_valid_OFA_x) of a thresholded {0,1} matrix; the architecture at <see cref="Resolution"/>.</summary>
    public Architecture? Decode(ReadOnlySpan<float> x, out string? reason)
    {
        if (x.Length != Nodes * OpTypes) { reason = $"X must have {Nodes * OpTypes} entries."; return null; }
        var m = new float[Nodes, OpTypes];
        for (int i = 0; i < Nodes; i++)
            for (int t = 0; t < OpTypes; t++)
            {
                float v = x[i * OpTypes + t];
                if (v != 0f && v != 1f) { reason = $"row {i} holds {v}, not 0/1"; return null; }
                m[i, t] = v;
            }
        if (!Mbv3DiffusionEncoding.IsValid(m, out reason)) return null;
        return Mbv3Space.ToArchitecture(Mbv3DiffusionEncoding.Decode(m, Resolution));
    }

    /// <summary>DiffusionNAG's 20-token <c>d-k-e</c> string (no resolution).</summary>
    public string Key(Architecture arch) => Mbv3DiffusionEncoding.ToDiffusionString(Mbv3Space.ToConfig(arch));
}
