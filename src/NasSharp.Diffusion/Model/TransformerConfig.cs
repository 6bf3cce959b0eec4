namespace NasSharp.Diffusion.Model;

/// <summary>
/// Sizes of a masked graph transformer (spec §4). The released score model is 12 blocks × 64 wide with an 8-head,
/// 1536-wide head (≈4M parameters, GPU); the defaults here are the CPU configuration of spec §10.2 (2 blocks, 4 heads,
/// ≈0.2M parameters), which trains in minutes on 2 cores and reaches the paper's validity/uniqueness.
/// </summary>
public sealed record TransformerConfig
{
    public int Blocks { get; init; } = 2;
    public int Width { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int FeedForward { get; init; } = 128;
    /// <summary>Hidden width of the output MLP (score head or predictor head).</summary>
    public int HeadHidden { get; init; } = 256;
    public double Dropout { get; init; } = 0.1;

    public void Validate()
    {
        if (Blocks is < 1 or > 48) throw new NasInputException($"blocks must be 1..48, got {Blocks}.");
        if (Width < 8 || Heads < 1 || Width % Heads != 0) throw new NasInputException($"width {Width} must be ≥ 8 and divisible by heads {Heads}.");
        if (FeedForward < 1 || HeadHidden < 1) throw new NasInputException("feed-forward and head widths must be positive.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) throw new NasInputException($"dropout must be in [0, 1), got {Dropout}.");
    }
}
