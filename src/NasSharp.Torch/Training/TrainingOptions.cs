namespace NasSharp.Torch.Training;

/// <summary>
/// Hyper-parameters of <see cref="Trainer"/>. Defaults follow NAS-Bench-201's training recipe (SGD, momentum 0.9, Nesterov,
/// lr 0.1 cosine-annealed to 0 per step, weight decay 5e-4, random crop with 4-pixel padding + horizontal flip) except the
/// batch size (NB201: 256), which the caller chooses.
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; } = true;
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>Seeds the batch order and the augmentation (per epoch, so a resumed run repeats them exactly).</summary>
    public long Seed { get; init; }
    public bool Augment { get; init; } = true;
    public int CropPadding { get; init; } = 4;

    internal void Validate()
    {
        if (Epochs < 1) throw new NasInputException($"--epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new NasInputException($"--batch must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new NasInputException($"The learning rate must be a positive number, got {LearningRate}.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new NasInputException($"Momentum must be in [0, 1), got {Momentum}.");
        if (Nesterov && Momentum == 0) throw new NasInputException("Nesterov momentum needs a momentum above 0.");
        // Written so that NaN fails too (every comparison with NaN is false).
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new NasInputException($"--weight-decay must be a finite number at least 0, got {WeightDecay}.");
        if (CropPadding < 0) throw new NasInputException($"Crop padding must not be negative, got {CropPadding}.");
    }
}
