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

    /// <summary>Resolution given to decoded architectures.</summary>
    public int Resolution { get; }
    public string SpaceName => "mbv3";
    public ISearchSpace Space => Mbv3Space.Instance;
    public int Nodes => Mbv3DiffusionEncoding.Nodes;
    public int OpTypes => Mbv3DiffusionEncoding.OpTypes;
    public bool[,] Adjacency { get; }

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
