using System.Diagnostics;
using NasSharp.Benchmarks;
using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Ranking;
using NasSharp.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Training;

/// <summary>One labelled example: an architecture, the dataset it was measured on (null = unnamed task) and its accuracy.</summary>
public readonly record struct LabelledArchitecture(Architecture Architecture, string? Dataset, double Accuracy);

/// <summary>Options of noise-aware predictor training (spec §6.4, CPU-sized).</summary>
public sealed record PredictorTrainingOptions
{
    public int Steps { get; init; } = 1500;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 100;
    public double GradClip { get; init; } = 1.0;
    public int Seed { get; init; }
    /// <summary>Probability of replacing the dataset id by "unseen" during training, so unseen datasets have a trained code.</summary>
    public double UnseenDropout { get; init; } = 0.2;
    /// <summary>Fraction of rows held out to pick the checkpoint with the best Pearson correlation (0 = keep the last).</summary>
    public double ValidationFraction { get; init; } = 0.05;
    public int EvaluateEvery { get; init; } = 250;
    public TransformerConfig Model { get; init; } = new() { Blocks = 2, Width = 32, Heads = 2, FeedForward = 64, HeadHidden = 128 };
    public VeSde Sde { get; init; } = new();

    public void Validate()
    {
        if (Steps < 1) throw new NasInputException($"--steps must be at least 1, got {Steps}.");
        if (BatchSize < 1) throw new NasInputException($"--batch-size must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new NasInputException($"--lr must be a positive number, got {LearningRate}.");
        if (ValidationFraction is < 0 or >= 1 || double.IsNaN(ValidationFraction)) throw new NasInputException("validation fraction must be in [0, 1).");
        Model.Validate();
        Sde.Validate();
    }
}

/// <summary>What predictor training did: rows, held-out Pearson/Kendall (at σ_min) of the kept checkpoint, seconds.</summary>
public sealed record PredictorTrainingReport(int TrainRows, int ValidationRows, double ValidationPearson, double ValidationKendall,
    int BestStep, double Seconds);

/// <summary>
/// Trains f(x_t, σ, D) by MSE on noised encodings x_t = x_0 + σ(t) z (t ~ U(ε,1), the score model's VE-SDE) against
/// per-dataset z-scored accuracies; keeps the checkpoint with the best held-out Pearson correlation (spec §6.4).
/// </summary>
public static class PredictorTrainer
{
    // Rooted: an implicit Scalar may be finalized by the GC while libtorch still reads it.
    private static readonly Scalar UnseenId = DatasetCatalog.UnseenId.ToScalar();

    /// <summary>All benchmark rows of the given datasets (test accuracy) for an enumerable space with a table.</summary>
    public static List<LabelledArchitecture> BenchmarkRows(IDiffusionEncoding encoding, string dataDirectory, IEnumerable<string> datasets)
    {
        var bench = BenchmarkTables.Load(encoding.SpaceName, dataDirectory);
        var rows = new List<LabelledArchitecture>();
        foreach (var name in datasets)
        {
            var d = DatasetCatalog.Get(name).Name;
            for (int i = 0; i < bench.Count; i++)
                if (bench.Query(i, d, BenchMetric.TestAccuracy) is { } acc && double.IsFinite(acc))
                    rows.Add(new(bench.ArchitectureAt(i), d, acc));
        }
        return rows;
    }

    public static (PredictorModel Model, PredictorTrainingReport Report) Train(IDiffusionEncoding encoding, IReadOnlyList<LabelledArchitecture> rows,
        PredictorTrainingOptions options, PredictorModel? initial = null, IReadOnlyDictionary<string, string>? info = null,
        IProgress<ProgressInfo>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (rows.Count < 2) throw new NasInputException($"A predictor needs at least 2 labelled architectures, got {rows.Count}.");
        foreach (var r in rows)
            if (!double.IsFinite(r.Accuracy)) throw new NasInputException($"Accuracy of {encoding.Key(r.Architecture)} is not a finite number.");
        var sw = Stopwatch.StartNew();
        random.manual_seed(options.Seed);
        var labels = rows.GroupBy(r => r.Dataset ?? "observations").ToDictionary(g => g.Key, g =>
        {
            double mean = g.Average(r => r.Accuracy);
            double std = Math.Sqrt(g.Sum(r => (r.Accuracy - mean) * (r.Accuracy - mean)) / Math.Max(1, g.Count() - 1));
            return new LabelScale(mean, std > 1e-9 ? std : 1.0);
        });

        // Dataset codes are fixed by the catalogue ids of the datasets this predictor trains on.
        var ids = new long[rows.Count];
        var feats = new float[rows.Count * DatasetCatalog.FeatureCount];
        var targets = new float[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var key = rows[i].Dataset ?? "observations";
            targets[i] = (float)((rows[i].Accuracy - labels[key].Mean) / labels[key].Std);
            if (rows[i].Dataset is { } d)
            {
                var info0 = DatasetCatalog.Get(d);
                ids[i] = info0.Id;
                info0.Features.CopyTo(feats, i * DatasetCatalog.FeatureCount);
            }
        }

        var order = Enumerable.Range(0, rows.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        int nVal = options.ValidationFraction > 0 && rows.Count >= 20 ? (int)Math.Round(options.ValidationFraction * rows.Count) : 0;
        var valIdx = order.Take(nVal).ToArray();
        var trainIdx = order.Skip(nVal).ToArray();

        var network = PredictorModel.CreateNetwork(encoding, options.Model);
        if (initial is not null)
        {
            if (initial.Config != options.Model) throw new NasInputException("The initial predictor has other sizes than requested; fine-tuning keeps its sizes.");
            network.load_state_dict(initial.Network.state_dict());
        }
        var archs = rows.Select(r => r.Architecture).ToArray();
        var x = tensor(EncodingBatches.EncodeCentred(encoding, archs), [rows.Count, encoding.Nodes, encoding.OpTypes]);
        var idT = tensor(ids);
        var featT = tensor(feats, [rows.Count, DatasetCatalog.FeatureCount]);
        var yT = tensor(targets);
        var trainT = tensor(trainIdx.Select(i => (long)i).ToArray());
        var optimizer = optim.Adam(network.parameters(), lr: options.LearningRate);
        var schedule = optim.lr_scheduler.LambdaLR(optimizer, i => Math.Min(1.0, (i + 1.0) / Math.Max(1, options.WarmupSteps)));
        Dictionary<string, Tensor>? best = null;
        double bestPearson = double.NegativeInfinity, bestKendall = double.NaN;
        int bestStep = options.Steps;
        for (int step = 0; step < options.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            network.train();
            using (var scope = NewDisposeScope())
            {
                var pick = trainT.index_select(0, randint(0, trainIdx.Length, [Math.Min(options.BatchSize, trainIdx.Length)], dtype: ScalarType.Int64));
                var t = rand(pick.shape[0]) * (1 - VeSde.Epsilon) + VeSde.Epsilon;
                var (xt, _, sigma) = options.Sde.Perturb(x.index_select(0, pick), t);
                var id = idT.index_select(0, pick);
                if (options.UnseenDropout > 0) id = id.masked_fill(rand(id.shape[0]) < options.UnseenDropout, UnseenId);
                var pred = network.Forward(xt, sigma, id, featT.index_select(0, pick));
                var loss = (pred - yT.index_select(0, pick)).square().mean();
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(network.parameters(), options.GradClip);
                optimizer.step();
                schedule.step();
                if (step % 50 == 0)
                {
                    double l = loss.item<float>();
                    if (!double.IsFinite(l)) throw new InvalidOperationException($"Predictor training diverged at step {step} (loss {l}); lower --lr.");
                    progress?.Report(new ProgressInfo(step + 1, options.Steps, $"mse {l:F3}"));
                }
            }
            bool last = step == options.Steps - 1;
            if (nVal > 0 && ((step + 1) % options.EvaluateEvery == 0 || last))
            {
                var (p, k) = Validate(network, options.Sde, x, idT, featT, yT, valIdx);
                if (p > bestPearson)
                {
                    bestPearson = p; bestKendall = k; bestStep = step + 1;
                    if (best is not null) foreach (var v in best.Values) v.Dispose();
                    best = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
            }
        }
        if (best is not null)
        {
            network.load_state_dict(best);
            foreach (var v in best.Values) v.Dispose();
        }
        network.eval();
        foreach (var t in new[] { x, idT, featT, yT, trainT }) t.Dispose();
        var model = new PredictorModel(encoding, options.Sde, options.Model, network, labels, info);
        return (model, new PredictorTrainingReport(trainIdx.Length, nVal, nVal > 0 ? bestPearson : double.NaN, bestKendall, bestStep, sw.Elapsed.TotalSeconds));
    }

    private static (double Pearson, double Kendall) Validate(PredictorNetwork network, VeSde sde, Tensor x, Tensor ids, Tensor feats, Tensor y, int[] valIdx)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pick = tensor(valIdx.Select(i => (long)i).ToArray());
        var sigma = full(valIdx.Length, sde.SigmaMin, dtype: ScalarType.Float32);
        var pred = network.Forward(x.index_select(0, pick), sigma, ids.index_select(0, pick), feats.index_select(0, pick))
            .to_type(ScalarType.Float64).data<double>().ToArray();
        var truth = y.index_select(0, pick).to_type(ScalarType.Float64).data<double>().ToArray();
        return (RankCorrelation.Pearson(pred, truth), RankCorrelation.KendallTauB(pred, truth));
    }
}
