using NasSharp.Spaces;

namespace NasSharp.Diffusion.Encoding;

/// <summary>
/// How a fixed-topology space becomes DiffusionNAG's tensor X (spec §2): <see cref="Nodes"/> rows of one-hot op types over
/// <see cref="OpTypes"/> columns, with a constant adjacency that only acts as the attention mask. Only X is diffused.
/// Values here are {0,1}; the model works on the centred form 2x−1.
/// </summary>
public interface IDiffusionEncoding
{
    /// <summary>The space name (weights files record it; a mismatch is refused).</summary>
    string SpaceName { get; }
    ISearchSpace Space { get; }
    int Nodes { get; }
    int OpTypes { get; }
    /// <summary>Constant [from, to] adjacency of the node graph; row i attends to the nodes it feeds.</summary>
    bool[,] Adjacency { get; }

    /// <summary>Which nodes each node attends to in the score model (default: <see cref="Adjacency"/>, the released code).</summary>
    bool[,] AttentionMask => Adjacency;

    /// <summary>
    /// The index each node's sinusoidal position embedding is taken at. Default: the node index. A space built of repeated
    /// identical stages gives the slot within its stage (MBv3, as the released code's stage-wise encoding), so that "slot 1
    /// of a stage is never empty" is one learnt fact instead of five positions to tell apart.
    /// </summary>
    int[] NodePositions => Enumerable.Range(0, Nodes).ToArray();

    /// <summary>
    /// Whether the position embedding gets the same √width factor as the op embedding (default false, the released code,
    /// where the sinusoid is ≈ 1/8 of the op embedding at width 64 and a small model learns position-dependent rules slowly).
    /// </summary>
    bool ScaledPositions => false;

    /// <summary>Writes the one-hot {0,1} X of <paramref name="arch"/> (row-major, Nodes×OpTypes) into <paramref name="x"/>.</summary>
    void Encode(Architecture arch, Span<float> x);

    /// <summary>
    /// Decodes a {0,1} matrix that was already thresholded (row-major). Returns null with a reason when it breaks the
    /// space's validity rules (e.g. a row with zero or several ones).
    /// </summary>
    Architecture? Decode(ReadOnlySpan<float> x, out string? reason);

    /// <summary>The string the uniqueness/novelty statistics compare (the space's own string form).</summary>
    string Key(Architecture arch);
}
