using System.Diagnostics;
using NasSharp.Torch.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Torch.Training;

/// <summary>
/// Trains a classifier with SGD (momentum, Nesterov, weight decay), a per-step cosine learning rate from
/// <see cref="TrainingOptions.LearningRate"/> to 0 over all epochs, cross-entropy, and batched crop+flip augmentation.
/// Deterministic: batch order and augmentation come from generators seeded by (seed, epoch), never from torch's global
/// generator, so a run restored from a checkpoint after epoch k continues exactly as the uninterrupted run.
/// Every step runs inside its own dispose scope, so no tensor outlives its step.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly SGD optimizer;
    private readonly List<EpochResult> history = [];

    public Trainer(nn.Module<Tensor, Tensor> model, TrainingOptions options)
    {
        options.Validate();
        this.model = model;
        Options = options;
        optimizer = new LiveScalarSgd(model.parameters(), options.LearningRate, options.Momentum, options.WeightDecay, options.Nesterov);
    }

    public TrainingOptions Options { get; }
    public nn.Module<Tensor, Tensor> Model => model;
    /// <summary>Epochs completed so far (restored from a checkpoint when resuming).</summary>
    public int EpochsDone { get; private set; }
    public IReadOnlyList<EpochResult> History => history;
    public bool IsFinished => EpochsDone >= Options.Epochs;

    /// <summary>Cosine annealing per step: lr·½(1 + cos(π·t/T)), T = epochs × steps per epoch.</summary>
    public double LearningRateAt(int epoch, int step, int stepsPerEpoch)
    {
        double t = (double)epoch * stepsPerEpoch + step, total = (double)Options.Epochs * stepsPerEpoch;
        return Options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * t / total));
    }

    /// <summary>
    /// Trains the next epoch over <paramref name="data"/>. A cancellation stops between steps with
    /// <see cref="OperationCanceledException"/> and leaves <see cref="EpochsDone"/> unchanged (the partial epoch is discarded;
    /// resume from the last checkpoint).
    /// </summary>
    public EpochResult TrainEpoch(ImageDataset data, Action<StepProgress>? onStep = null, CancellationToken cancel = default)
    {
        if (IsFinished) throw new InvalidOperationException($"All {Options.Epochs} epochs are done.");
        int epoch = EpochsDone;
        var sampler = new BatchSampler(data.Count, Options.BatchSize, Options.Seed, shuffle: true);
        int steps = sampler.BatchesPerEpoch;
        using var augmentRng = new Generator(BatchSampler.EpochSeed(Options.Seed ^ 0x5DEECE66DL, epoch));
        model.train();
        double lossSum = 0, lr = 0;
        long correct = 0, seen = 0;
        var clock = Stopwatch.StartNew();
        int step = 0;
        foreach (var indices in sampler.Batches(epoch))
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            lr = LearningRateAt(epoch, step, steps);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var x = data.Images.index_select(0, indices);
            var y = data.Labels.index_select(0, indices);
            if (Options.Augment) x = Augmentation.RandomCropFlip(x, Options.CropPadding, augmentRng);

            optimizer.zero_grad();
            var logits = model.call(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            optimizer.step();

            double batchLoss = loss.item<float>();
            if (!double.IsFinite(batchLoss))
                throw new NasInputException($"Training diverged: the loss became {batchLoss} at epoch {epoch + 1}, step {step + 1}. Lower the learning rate.");
            long n = indices.shape[0];
            lossSum += batchLoss * n;
            correct += logits.argmax(1).eq(y).sum().item<long>();
            seen += n;
            step++;
            onStep?.Invoke(new StepProgress(epoch, Options.Epochs, step, steps, lossSum / seen, (double)correct / seen,
                                            seen / clock.Elapsed.TotalSeconds));
        }
        clock.Stop();
        EpochsDone++;
        var result = new EpochResult(epoch, lossSum / seen, (double)correct / seen, seen / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds, lr);
        history.Add(result);
        return result;
    }

    /// <summary>Loss and accuracy in eval mode (BN running statistics), without gradients; the model returns to train mode.</summary>
    public EvaluationResult Evaluate(ImageDataset data, int batchSize = 256) => Evaluate(model, data, batchSize);

    public static EvaluationResult Evaluate(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 256)
    {
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            long correct = 0;
            var sampler = new BatchSampler(data.Count, batchSize, seed: 0, shuffle: false);
            foreach (var indices in sampler.Batches(0))
            {
                using var scope = NewDisposeScope();
                var x = data.Images.index_select(0, indices);
                var y = data.Labels.index_select(0, indices);
                var logits = model.call(x);
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
            return new EvaluationResult(lossSum / data.Count, (double)correct / data.Count, data.Count);
        }
        finally { model.train(); }
    }

    /// <summary>Writes model weights (incl. BN statistics), optimizer state (momentum buffers), epochs done and the run's identity.</summary>
    public void SaveCheckpoint(string path, CheckpointInfo info) =>
        Checkpoint.Save(path, info with { EpochsDone = EpochsDone, Seed = Options.Seed }, model, optimizer);

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/> into this trainer's model and optimizer.</summary>
    public CheckpointInfo RestoreCheckpoint(string path)
    {
        var info = Checkpoint.Load(path, model, optimizer);
        if (info.Epochs != Options.Epochs || info.BatchSize != Options.BatchSize)
            throw new NasInputException($"Checkpoint {path} belongs to a run of {info.Epochs} epochs with batch {info.BatchSize}; resume with the same " +
                                        $"--epochs {info.Epochs} --batch {info.BatchSize} (the learning-rate schedule and batch order depend on them).");
        if (info.Seed != Options.Seed)
            throw new NasInputException($"Checkpoint {path} was trained with seed {info.Seed}, not {Options.Seed}; resume with --seed {info.Seed}.");
        if (info.EpochsDone > Options.Epochs)
            throw new NasInputException($"Checkpoint {path} has {info.EpochsDone} epochs done, more than the {Options.Epochs} requested.");
        EpochsDone = info.EpochsDone;
        return info;
    }

    public void Dispose() => optimizer.Dispose();
}
