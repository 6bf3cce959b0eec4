using System.Diagnostics;
using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Training;

/// <summary>Options of score-model training (spec §4 "Training", scaled to CPU per §10.2).</summary>
public sealed record ScoreTrainingOptions
{
    public int Steps { get; init; } = 2000;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 100;
    public double GradClip { get; init; } = 1.0;
    public double EmaDecay { get; init; } = 0.999;
    public int Seed { get; init; }
    public TrainingSplit Split { get; init; } = new();
    public TransformerConfig Model { get; init; } = new();
    public VeSde Sde { get; init; } = new();
    /// <summary>Hand the EMA weights to the snapshot callback every this many steps (0 = never). The learning rate does not
    /// depend on the total step count, so the snapshot at step k equals a run with Steps = k.</summary>
    public int SnapshotEvery { get; init; }

    public void Validate()
    {
        if (Steps < 1) throw new NasInputException($"--steps must be at least 1, got {Steps}.");
        if (BatchSize < 1) throw new NasInputException($"--batch-size must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new NasInputException($"--lr must be a positive number, got {LearningRate}.");
        if (SnapshotEvery < 0) throw new NasInputException($"--snapshot-every must be ≥ 0, got {SnapshotEvery}.");
        Model.Validate();
        Sde.Validate();
    }
}

/// <summary>What training did: the loss curve (mean per logging window), seconds, training-set size.</summary>
public sealed record ScoreTrainingReport(IReadOnlyList<double> Losses, double Seconds, int TrainingArchitectures, long Parameters);

/// <summary>
/// Denoising score matching on the VE-SDE (spec §3): t ~ U(ε, 1), x_t = x_0 + σ(t) z, loss = mean over all entries of
/// (σ(t)·s_θ(x_t, σ(t)) + z)². Adam with linear warm-up, gradient-norm clipping, EMA weights for sampling.
/// </summary>
public static class ScoreTrainer
{
    public static (ScoreModel Model, ScoreTrainingReport Report) Train(IDiffusionEncoding encoding, ScoreTrainingOptions options,
        IReadOnlyDictionary<string, string>? info = null, IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default,
        Action<int, ScoreModel>? snapshot = null)
    {
        options.Validate();
        var archs = options.Split.Architectures(encoding.Space);
        var sw = Stopwatch.StartNew();
        // Built before seeding: its initialisation must not shift the training run's random stream.
        using var snapshotNetwork = snapshot is not null && options.SnapshotEvery > 0 ? ScoreModel.CreateNetwork(encoding, options.Model) : null;
        random.manual_seed(options.Seed);
        var network = ScoreModel.CreateNetwork(encoding, options.Model);
        var data = tensor(EncodingBatches.EncodeCentred(encoding, archs), [archs.Count, encoding.Nodes, encoding.OpTypes]);
        var optimizer = optim.Adam(network.parameters(), lr: options.LearningRate);
        var schedule = optim.lr_scheduler.LambdaLR(optimizer, i => Math.Min(1.0, (i + 1.0) / Math.Max(1, options.WarmupSteps)));
        using var ema = new Ema(network, options.EmaDecay);
        network.train();
        var losses = new List<double>();
        double window = 0;
        int inWindow = 0, logEvery = Math.Max(1, options.Steps / 50);
        for (int step = 0; step < options.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var idx = randint(0, archs.Count, [options.BatchSize], dtype: ScalarType.Int64);
            var loss = Loss(network, options.Sde, data.index_select(0, idx));
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(network.parameters(), options.GradClip);
            optimizer.step();
            schedule.step();
            ema.Update(network);
            double l = loss.item<float>();
            if (!double.IsFinite(l)) throw new InvalidOperationException($"Score-model training diverged at step {step} (loss {l}); lower --lr.");
            window += l; inWindow++;
            if (snapshotNetwork is not null && (step + 1) % options.SnapshotEvery == 0 && step + 1 < options.Steps)
            {
                ema.CopyTo(snapshotNetwork);
                snapshot!(step + 1, new ScoreModel(encoding, options.Sde, options.Model, options.Split, snapshotNetwork, info));
            }
            if (inWindow == logEvery || step == options.Steps - 1)
            {
                losses.Add(window / inWindow);
                window = 0; inWindow = 0;
                progress?.Report(new ProgressInfo(step + 1, options.Steps, $"loss {losses[^1]:F3}"));
            }
        }
        ema.CopyTo(network);
        network.eval();
        long parameters = network.parameters().Sum(p => p.numel());
        data.Dispose();
        var model = new ScoreModel(encoding, options.Sde, options.Model, options.Split, network, info);
        return (model, new ScoreTrainingReport(losses, sw.Elapsed.TotalSeconds, archs.Count, parameters));
    }

    /// <summary>The DSM loss of a batch of centred clean X [B,N,F] (σ² weighting, spec §3).</summary>
    public static Tensor Loss(ScoreNetwork network, VeSde sde, Tensor x0)
    {
        var t = rand(x0.shape[0]) * (1 - VeSde.Epsilon) + VeSde.Epsilon;
        var (xt, z, sigma) = sde.Perturb(x0, t);
        var score = network.Forward(xt, sigma);
        return (score * sigma.view(-1, 1, 1) + z).square().mean();
    }
}
