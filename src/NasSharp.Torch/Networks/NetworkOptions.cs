namespace NasSharp.Torch.Networks;

/// <summary>
/// How <see cref="NetworkFactory"/> builds a network. Defaults are the published benchmark networks
/// (NB201: AutoDL TinyNetwork C=16, N=5; NB101: stem 128, 3 stacks × 3 cells) for 3-channel inputs and 10 classes.
/// </summary>
public sealed record NetworkOptions
{
    public int NumClasses { get; init; } = 10;
    public int InputChannels { get; init; } = 3;
    /// <summary>False replaces every BatchNorm by an identity (synflow scores the BN-free network).</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>NB201 stem channels C; the three stages use C, 2C, 4C (16/32/64).</summary>
    public int Nb201StemChannels { get; init; } = 16;
    /// <summary>NB201 cells per stage N (5 in the benchmark).</summary>
    public int Nb201CellsPerStage { get; init; } = 5;

    /// <summary>NB101 stem channels (128); every stack after the first doubles the channels.</summary>
    public int Nb101StemChannels { get; init; } = 128;
    /// <summary>NB101 stacks (3), separated by 2×2 max-pool downsampling.</summary>
    public int Nb101Stacks { get; init; } = 3;
    /// <summary>NB101 cells per stack (3).</summary>
    public int Nb101CellsPerStack { get; init; } = 3;

    internal void Validate()
    {
        if (NumClasses < 1) throw new NasInputException($"NumClasses must be at least 1, got {NumClasses}.");
        if (InputChannels < 1) throw new NasInputException($"InputChannels must be at least 1, got {InputChannels}.");
        if (Nb201StemChannels < 1 || Nb201CellsPerStage < 1)
            throw new NasInputException($"NB201 sizes must be positive (stem {Nb201StemChannels}, cells per stage {Nb201CellsPerStage}).");
        if (Nb101StemChannels < 1 || Nb101Stacks < 1 || Nb101CellsPerStack < 1)
            throw new NasInputException($"NB101 sizes must be positive (stem {Nb101StemChannels}, stacks {Nb101Stacks}, cells per stack {Nb101CellsPerStack}).");
    }
}
