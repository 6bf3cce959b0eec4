using System.CommandLine;
using NasSharp.Spaces;
using NasSharp.Torch.Data;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using Spectre.Console;
using TorchSharp;

namespace NasSharp.Cli.Commands;

/// <summary>`nas train`: train the benchmark network of one architecture on Fashion-MNIST or CIFAR-10 and report test accuracy.</summary>
public static class TrainCommands
{
    public static Command Create(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var spaceFile = CommonOptions.SpaceFile();
        var arch = new Option<string>("--arch") { Description = "Architecture in the space's string form.", Required = true };
        var data = new Option<string>("--data") { Description = $"Dataset: {string.Join(" or ", TrainingData.Names)} (read from the data directory; see docs/networks.md).", DefaultValueFactory = _ => "fashion-mnist" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (the cosine schedule spans all of them).", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 64 };
        var seed = CommonOptions.Seed();
        var limit = new Option<int?>("--limit") { Description = "Use only the first N training images (and, unless --test-limit is given, N test images)." };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use only the first N test images." };
        var lr = CommonOptions.Number("--lr", "Initial learning rate (cosine-annealed to 0).", 0.1, min: 0, exclusive: true);
        var weightDecay = CommonOptions.Number("--weight-decay", "SGD weight decay.", 5e-4, min: 0);
        var noAugment = new Option<bool>("--no-augment") { Description = "Switch off random crop + horizontal flip." };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var checkpoint = CommonOptions.OutputFile("--checkpoint", "Save model + optimizer state + epoch to FILE after every epoch.");
        var resume = new Option<bool>("--resume") { Description = "Continue the training saved in --checkpoint (same arch, data, epochs, batch and seed)." };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after N epochs of this run (with --checkpoint: continue later with --resume)." };
        var cmd = new Command("train", "Train an architecture's network (SGD, momentum, cosine LR, crop+flip) and report test accuracy.")
        {
            space, spaceFile, arch, data, epochs, batch, seed, limit, testLimit, lr, weightDecay, noAugment, threads, checkpoint, resume, stopAfter,
        };
        cmd.SetAction((r, cancel) => Task.FromResult(Run(r, cancel)));
        int Run(ParseResult r, CancellationToken cancel)
        {
            var sp = CommonOptions.ResolveSpace(r, space, spaceFile);
            var architecture = sp.Parse(r.GetValue(arch)!);
            var archText = sp.Format(architecture);
            var dataName = r.GetValue(data)!.ToLowerInvariant();
            var options = new TrainingOptions
            {
                Epochs = r.GetValue(epochs), BatchSize = r.GetValue(batch), Seed = r.GetValue(seed), LearningRate = r.GetValue(lr),
                WeightDecay = r.GetValue(weightDecay), Augment = !r.GetValue(noAugment),
            };
            int nThreads = r.GetValue(threads);
            if (nThreads < 1) throw new NasInputException($"--threads must be at least 1, got {nThreads}.");
            string? checkpointPath = r.GetValue(checkpoint);
            bool resuming = r.GetValue(resume);
            if (resuming && checkpointPath is null) throw new NasInputException("--resume needs --checkpoint FILE.");
            int? trainLimit = r.GetValue(limit), evalLimit = r.GetValue(testLimit) ?? trainLimit;
            if (trainLimit is < 1 || evalLimit is < 1) throw new NasInputException("--limit and --test-limit must be at least 1.");

            // Read first: a wrong file fails before the data is loaded.
            CheckpointInfo? stored = resuming ? Checkpoint.ReadInfo(checkpointPath!) : null;

            torch.set_num_threads(nThreads);
            var dataDir = ctx.DataDir(r);
            using var train = TrainingData.Load(dataName, dataDir, train: true, trainLimit);
            using var test = TrainingData.Load(dataName, dataDir, train: false, evalLimit);
            var info = new CheckpointInfo(sp.Name, archText, dataName, options.Epochs, options.BatchSize)
            {
                NumClasses = train.NumClasses, InputChannels = train.Channels, ImageSize = train.Height, Seed = options.Seed,
                Recipe = TrainingRecipe.Of(options, train.Count),
            };
            if (stored is not null)
            {
                // Everything that changes the trained weights must match, or the "resumed" run is another run.
                stored.CheckResumableAs(info, checkpointPath!);
                if (stored.Recipe is null)
                    ctx.Err.WriteLine($"note: {checkpointPath} was written before checkpoints recorded --lr, --weight-decay, --no-augment and --limit; they cannot be checked, so give the ones it was trained with.");
            }
            torch.manual_seed(options.Seed);
            using var net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = train.NumClasses, InputChannels = train.Channels });
            using var trainer = new Trainer(net, options);
            if (resuming) trainer.RestoreCheckpoint(checkpointPath!);
            int startEpoch = trainer.EpochsDone;
            var human = ctx.Human(r);
            if (!ctx.Json(r))
                human.MarkupLine($"Training [bold]{Markup.Escape(archText)}[/] ({net.ParameterCount():N0} parameters) on {train.Count:N0} {dataName} images, " +
                                 $"{options.Epochs} epoch(s) of batch {options.BatchSize}, seed {options.Seed}, {nThreads} thread(s)" +
                                 (startEpoch > 0 ? $", resuming after epoch {startEpoch}" : "") + ".");

            int stepsPerEpoch = new BatchSampler(train.Count, options.BatchSize, options.Seed).BatchesPerEpoch;
            int stopAt = Math.Min(options.Epochs, startEpoch + (r.GetValue(stopAfter) ?? options.Epochs));
            if (stopAt <= startEpoch && !trainer.IsFinished) throw new NasInputException("--stop-after must be at least 1.");
            long totalSteps = (long)(stopAt - startEpoch) * stepsPerEpoch;
            ctx.WithProgress(r, "train", progress =>
            {
                long done = 0;
                while (trainer.EpochsDone < stopAt)
                {
                    try
                    {
                        trainer.TrainEpoch(train, s => progress.Report(new ProgressInfo(++done, totalSteps,
                            $"epoch {s.Epoch + 1}/{s.Epochs} loss {s.Loss:F3} acc {s.Accuracy:P1} {s.ImagesPerSecond:F0} img/s")), cancel);
                    }
                    catch (OperationCanceledException e) when (e is not InterruptedRun)
                    {
                        // The partial epoch is discarded; the checkpoint written after the last full epoch is the safe point.
                        string stopped = $"stopped in epoch {trainer.EpochsDone + 1} of {options.Epochs}";
                        throw checkpointPath is null ? new InterruptedRun($"{stopped}; nothing was kept (train with --checkpoint FILE to be able to resume)", resumable: false, e)
                            : trainer.EpochsDone == 0 && !resuming ? new InterruptedRun($"{stopped}; no epoch had finished, so there is nothing to resume", resumable: false, e)
                            : new InterruptedRun($"stopped in epoch {trainer.EpochsDone + 1} of {options.Epochs}; {checkpointPath} holds the {trainer.EpochsDone} finished epoch(s)", resumable: true, e);
                    }
                    if (checkpointPath is not null) trainer.SaveCheckpoint(checkpointPath, info);
                }
                return 0;
            });
            var eval = trainer.Evaluate(test);

            var result = new
            {
                Space = sp.Name, Arch = archText, Data = dataName, Parameters = net.ParameterCount(),
                TrainImages = train.Count, TestImages = test.Count, options.Epochs, Batch = options.BatchSize, options.Seed,
                LearningRate = options.LearningRate, Threads = nThreads, ResumedAfterEpoch = startEpoch,
                EpochResults = trainer.History.Select(e => new { Epoch = e.Epoch + 1, e.Loss, TrainAccuracy = e.Accuracy, e.ImagesPerSecond, e.Seconds }).ToArray(),
                EpochsDone = trainer.EpochsDone, Finished = trainer.IsFinished,
                TestLoss = eval.Loss, TestAccuracy = eval.Accuracy, Checkpoint = checkpointPath,
            };
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            var table = new Table().AddColumns("epoch", "loss", "train acc", "images/s", "seconds");
            foreach (var e in result.EpochResults)
                table.AddRow($"{e.Epoch}", $"{e.Loss:F4}", $"{e.TrainAccuracy:P2}", $"{e.ImagesPerSecond:F1}", $"{e.Seconds:F1}");
            ctx.Console.Write(table);
            if (!trainer.IsFinished)
                ctx.Console.MarkupLine($"Stopped after epoch {trainer.EpochsDone} of {options.Epochs}; continue with --resume.");
            ctx.Console.MarkupLine($"Test accuracy [bold]{eval.Accuracy:P2}[/] (loss {eval.Loss:F4}) on {test.Count:N0} {dataName} test images." +
                                   (checkpointPath is null ? "" : $" Checkpoint: {Markup.Escape(checkpointPath)}"));
            return 0;
        }
        return cmd;
    }
}
