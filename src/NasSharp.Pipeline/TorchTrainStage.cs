using System.Diagnostics;
using NasSharp.Spaces;
using NasSharp.Torch.Data;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using TorchSharp;

namespace NasSharp.Pipeline;

/// <summary>
/// Trains the found architecture with NasSharp.Torch's <see cref="Trainer"/> (SGD, cosine LR, crop+flip) and evaluates it
/// on the test images after every epoch (the training curve). After each epoch the checkpoint and the epoch log are
/// written, so a resumed run continues after the last finished epoch and ends with the same weights.
/// </summary>
public sealed class TorchTrainStage : ITrainStage
{
    public void CheckData(RunSettings settings)
    {
        using var probe = RunData.Load(settings.Data, settings.DataPath, settings.DataDirectory, train: false, limit: 1);
        using var probeTrain = RunData.Load(settings.Data, settings.DataPath, settings.DataDirectory, train: true, limit: 1);
    }

    public TrainStageResult Run(RunSettings settings, string arch, RunDirectory dir, IProgress<ProgressInfo> progress, CancellationToken cancel)
    {
        torch.set_num_threads(settings.Threads);
        var space = SearchSpaces.Get(settings.Space);
        var architecture = space.Parse(arch);
        using var train = RunData.Load(settings.Data, settings.DataPath, settings.DataDirectory, train: true, settings.TrainLimit);
        using var test = RunData.Load(settings.Data, settings.DataPath, settings.DataDirectory, train: false, settings.TestLimit);
        var options = Options(settings);
        torch.manual_seed(settings.Seed);
        using var net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = train.NumClasses, InputChannels = train.Channels });
        using var trainer = new Trainer(net, options);
        var info = new CheckpointInfo(space.Name, arch, settings.Data.ToLowerInvariant(), options.Epochs, options.BatchSize);

        var history = new List<EpochRecord>();
        if (settings.Resume && dir.Has(RunDirectory.CheckpointFile) && dir.Read<List<EpochRecord>>(RunDirectory.EpochLogFile) is { } log
            && Checkpoint.ReadInfo(dir[RunDirectory.CheckpointFile]) is var saved && saved.Architecture == arch && saved.Dataset == info.Dataset)
        {
            trainer.RestoreCheckpoint(dir[RunDirectory.CheckpointFile]);
            history.AddRange(log.Take(trainer.EpochsDone));
        }
        int resumedAfter = trainer.EpochsDone;
        int steps = new BatchSampler(train.Count, options.BatchSize, options.Seed).BatchesPerEpoch;
        long total = (long)(options.Epochs - resumedAfter) * steps, done = 0;
        while (!trainer.IsFinished)
        {
            var clock = Stopwatch.StartNew();
            var epoch = trainer.TrainEpoch(train, s => progress.Report(new ProgressInfo(++done, total,
                $"epoch {s.Epoch + 1}/{s.Epochs} loss {s.Loss:F3} acc {s.Accuracy:P1} {s.ImagesPerSecond:F0} img/s")), cancel);
            var eval = trainer.Evaluate(test);
            history.Add(new EpochRecord(epoch.Epoch + 1, epoch.Loss, 100 * epoch.Accuracy, eval.Loss, 100 * eval.Accuracy, clock.Elapsed.TotalSeconds));
            trainer.SaveCheckpoint(dir[RunDirectory.CheckpointFile], info);
            dir.Write(RunDirectory.EpochLogFile, history);
        }
        var last = history[^1];
        if (!double.IsFinite(last.TestLoss))
            throw new NasInputException($"The trained network's test loss is {last.TestLoss}; training diverged. Lower --lr.");
        return new TrainStageResult(arch, info.Dataset, net.ParameterCount(), train.Count, test.Count, options.Epochs, options.BatchSize,
            last.TestAccuracy, last.TestLoss, history.Sum(h => h.Seconds))
        {
            History = history, ResumedAfterEpoch = resumedAfter, Threads = settings.Threads,
        };
    }

    internal static TrainingOptions Options(RunSettings s) => new()
    {
        Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = s.Seed, LearningRate = s.LearningRate,
    };
}
