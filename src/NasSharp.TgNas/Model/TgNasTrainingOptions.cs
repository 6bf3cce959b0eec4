namespace NasSharp.TgNas.Model;

/// <summary>
/// Training settings. Defaults follow the released code (spec §5.2: AdamW lr 1e-3, weight decay 0.01, StepLR ×0.1
/// every 40 % of the epochs, batch 128, MSE) plus what helps a small training set, each switchable: z-scored targets,
/// a pairwise ranking loss, an ensemble of independently seeded networks, and checkpoint selection by Kendall τ on a
/// held-out split of the TRAINING space (never the target space).
/// </summary>
public sealed record TgNasTrainingOptions
{
    public int Epochs { get; init; } = 100;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Epochs between ×<see cref="Gamma"/> LR steps; 0 = 40 % of <see cref="Epochs"/> (the code's 40 of 100).</summary>
    public int StepSize { get; init; }
    public double Gamma { get; init; } = 0.1;
    /// <summary>Weight of the pairwise logistic ranking loss added to the MSE (0 = MSE only, as released).</summary>
    public double RankWeight { get; init; }
    /// <summary>Networks in the ensemble (each its own init and shuffling); scores are their mean.</summary>
    public int Members { get; init; } = 1;
    /// <summary>Fraction of the training rows held out for checkpoint selection and reporting.</summary>
    public double HoldOut { get; init; } = 0.1;
    public bool NormalizeTargets { get; init; } = true;
    /// <summary>Ensemble members trained at the same time (each on its own thread); does not change the result.</summary>
    public int Workers { get; init; } = 1;
    public int Seed { get; init; }
    public TgNasConfig Model { get; init; } = new();

    public void Validate()
    {
        if (Epochs < 1) throw new NasInputException($"--epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 2) throw new NasInputException($"--batch-size must be at least 2, got {BatchSize}.");
        if (!(LearningRate > 0)) throw new NasInputException($"--lr must be positive, got {LearningRate}.");
        if (Members is < 1 or > 64) throw new NasInputException($"--members must be 1..64, got {Members}.");
        if (HoldOut is < 0 or >= 0.9) throw new NasInputException($"--holdout must be in [0, 0.9), got {HoldOut}.");
        if (RankWeight < 0) throw new NasInputException($"--rank-weight must be non-negative, got {RankWeight}.");
        Model.Validate();
    }
}
