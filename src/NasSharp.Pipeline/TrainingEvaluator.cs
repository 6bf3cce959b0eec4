using System.Diagnostics;
using System.Globalization;
using NasSharp.Search;
using NasSharp.Spaces;
using NasSharp.Torch.Data;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using TorchSharp;

namespace NasSharp.Pipeline;

/// <summary>How <see cref="TrainingEvaluator"/> trains each candidate.</summary>
public sealed record TrainingEvaluatorSettings(string Data, string DataDirectory)
{
    public string? DataPath { get; init; }
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Train on the first N training images.</summary>
    public int TrainLimit { get; init; } = 1000;
    /// <summary>Score on the next N training images (held out; the test set stays unseen by the search).</summary>
    public int ValidLimit { get; init; } = 500;
    /// <summary>Seeds the weights, batch order and augmentation; the same for every candidate, so a trial's result depends only on its architecture.</summary>
    public int Seed { get; init; }

    public void Validate()
    {
        if (Epochs < 1) throw new NasInputException($"--train-epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new NasInputException($"--batch must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new NasInputException($"--lr must be a positive number, got {LearningRate}.");
        if (TrainLimit < 1 || ValidLimit < 1) throw new NasInputException($"--train-limit and --valid-limit must be at least 1 (got {TrainLimit}, {ValidLimit}).");
    }

    /// <summary>The KEY=VALUE options <see cref="FromOptions"/> reads.</summary>
    public static IReadOnlyList<string> OptionKeys { get; } = ["data", "data_path", "train_epochs", "batch", "lr", "train_limit", "valid_limit", "seed"];

    /// <summary>Reads the settings from KEY=VALUE options (the worker's EvaluatorSettings.Options or `--option` pairs).</summary>
    public static TrainingEvaluatorSettings FromOptions(IReadOnlyDictionary<string, string> o, string dataDirectory, int seed)
    {
        int Int(string key, int fallback) => o.TryGetValue(key, out var v)
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new NasInputException($"{key}={v} is not an integer.")
            : fallback;
        double lr = o.TryGetValue("lr", out var l)
            ? double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new NasInputException($"lr={l} is not a number.")
            : 0.1;
        var s = new TrainingEvaluatorSettings(o.GetValueOrDefault("data") ?? "fashion-mnist", dataDirectory)
        {
            DataPath = o.GetValueOrDefault("data_path"), Epochs = Int("train_epochs", 1), BatchSize = Int("batch", 64), LearningRate = lr,
            TrainLimit = Int("train_limit", 1000), ValidLimit = Int("valid_limit", 500), Seed = Int("seed", seed),
        };
        s.Validate();
        return s;
    }
}

/// <summary>
/// Real training as an evaluator ("train"): each candidate's network is trained with TorchSharp for a few epochs on a
/// training subset and scored by its accuracy (%) on held-out training images. What a cluster of `nas worker --evaluator
/// train` processes runs, and what `--option evaluator=train` selects in-process. Deterministic per architecture and
/// seed; a diverging training becomes a failed trial with the error, never a NaN score.
/// </summary>
public sealed class TrainingEvaluator : IEvaluator, IDisposable
{
    // torch.manual_seed is process-global: network creation is serialised so parallel trials get their own seed's weights.
    private static readonly object SeedGate = new();
    private readonly TrainingEvaluatorSettings _settings;
    private readonly Lazy<(ImageDataset Train, ImageDataset Valid)> _data;

    public TrainingEvaluator(TrainingEvaluatorSettings settings)
    {
        settings.Validate();
        _settings = settings;
        _data = new(LoadData);
    }

    /// <summary>Loads the training and validation images now (a worker's --preload), not at the first trial.</summary>
    public void Preload() => _ = _data.Value;

    public string Name => $"train:{_settings.Data}:{_settings.Epochs}ep:{_settings.TrainLimit}+{_settings.ValidLimit}";

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var (train, valid) = _data.Value;
        torch.nn.Module<torch.Tensor, torch.Tensor> net;
        lock (SeedGate)
        {
            torch.manual_seed(_settings.Seed);
            net = NetworkFactory.Create(arch, new NetworkOptions { NumClasses = train.NumClasses, InputChannels = train.Channels });
        }
        using (net)
        {
            var options = new TrainingOptions { Epochs = _settings.Epochs, BatchSize = _settings.BatchSize, LearningRate = _settings.LearningRate, Seed = _settings.Seed };
            using var trainer = new Trainer(net, options);
            EpochResult last;
            try
            {
                do last = trainer.TrainEpoch(train, cancel: cancel); while (!trainer.IsFinished);
            }
            catch (NasInputException e) // Trainer's divergence error: a failed trial, not a crashed worker
            {
                return Task.FromResult(new TrialResult(double.NaN, new Dictionary<string, double?>(), clock.Elapsed.TotalSeconds, e.Message));
            }
            var eval = trainer.Evaluate(valid);
            var metrics = new Dictionary<string, double?>
            {
                ["trained_valid_accuracy"] = 100 * eval.Accuracy,
                ["trained_valid_loss"] = eval.Loss,
                ["train_loss"] = last.Loss,
                ["train_accuracy"] = 100 * last.Accuracy,
                ["parameters"] = net.ParameterCount(),
            };
            return Task.FromResult(new TrialResult(100 * eval.Accuracy, metrics, clock.Elapsed.TotalSeconds));
        }
    }

    private (ImageDataset, ImageDataset) LoadData()
    {
        using var both = RunData.Load(_settings.Data, _settings.DataPath, _settings.DataDirectory, train: true, _settings.TrainLimit + _settings.ValidLimit);
        if (both.Count <= _settings.TrainLimit)
            throw new NasInputException($"{_settings.Data} has only {both.Count} training images; lower train_limit ({_settings.TrainLimit}) so {_settings.ValidLimit} remain for validation.");
        using var scope = torch.NewDisposeScope();
        int valid = both.Count - _settings.TrainLimit;
        return (new ImageDataset(both.Name, both.Images.narrow(0, 0, _settings.TrainLimit).clone(), both.Labels.narrow(0, 0, _settings.TrainLimit).clone(), both.NumClasses),
                new ImageDataset(both.Name, both.Images.narrow(0, _settings.TrainLimit, valid).clone(), both.Labels.narrow(0, _settings.TrainLimit, valid).clone(), both.NumClasses));
    }

    public void Dispose()
    {
        if (!_data.IsValueCreated) return;
        _data.Value.Train.Dispose();
        _data.Value.Valid.Dispose();
    }
}
