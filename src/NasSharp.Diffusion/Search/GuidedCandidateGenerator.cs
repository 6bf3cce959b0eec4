using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Diffusion.Training;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Search;

/// <summary>
/// The acquisition step of BO-NAS with DiffusionNAG (spec §7.4): <see cref="Fit"/> (re)fits the noise-aware predictor on
/// the observations so far (fine-tuning the prior predictor when one is given, else from scratch), and
/// <see cref="Propose"/> generates distinct, not-yet-observed candidates guided by it, best predicted first. A BO strategy
/// scores these with its own surrogate/acquisition function and evaluates the best, instead of mutating a pool.
/// </summary>
public sealed class GuidedCandidateGenerator : IDisposable
{
    private readonly ScoreModel score;
    private readonly PredictorModel? prior;
    private readonly SamplerOptions sampler;
    private PredictorModel? fitted;

    /// <param name="dataset">The target dataset the observations come from (conditions the predictor), or null for an unnamed task.</param>
    public GuidedCandidateGenerator(ScoreModel score, PredictorModel? prior = null, string? dataset = null, SamplerOptions? sampler = null)
    {
        this.score = score;
        this.prior = prior;
        Dataset = dataset is null ? null : DatasetCatalog.Get(dataset).Name;
        this.sampler = sampler ?? new SamplerOptions();
    }

    public string? Dataset { get; }
    /// <summary>The predictor of the last <see cref="Fit"/> (null before the first).</summary>
    public PredictorModel? Predictor => fitted;
    /// <summary>What the last <see cref="Propose"/> sampled (rounds, scales, samples), for reports.</summary>
    public CollectionResult? LastCollection { get; private set; }

    /// <summary>
    /// Fits the predictor on (architecture, accuracy) observations; returns the held-out report (none below 20 observations).
    /// With <paramref name="warmStart"/> and an earlier fit, that fit is fine-tuned (no warm-up; BO adds a few observations per
    /// round, so a short refit suffices) instead of starting again from the prior or from scratch.
    /// </summary>
    public PredictorTrainingReport Fit(IReadOnlyList<(Architecture Architecture, double Accuracy)> observations, int seed, int steps = 200,
        bool warmStart = false)
    {
        if (observations.Count < 2) throw new NasInputException($"Fitting the guidance predictor needs at least 2 observations, got {observations.Count}.");
        var rows = observations.Select(o => new LabelledArchitecture(o.Architecture, Dataset, o.Accuracy)).ToArray();
        var initial = warmStart && fitted is not null ? fitted : prior;
        bool fromScratch = initial is null, refit = initial is not null && ReferenceEquals(initial, fitted);
        var options = new PredictorTrainingOptions
        {
            Steps = steps, Seed = seed, BatchSize = Math.Min(256, rows.Length), UnseenDropout = 0,
            ValidationFraction = rows.Length >= 40 ? 0.1 : 0, EvaluateEvery = Math.Max(1, steps / 4), WarmupSteps = fromScratch ? 50 : 1,
            LearningRate = fromScratch || refit ? 1e-3 : 3e-4, Model = initial?.Config ?? new PredictorTrainingOptions().Model, Sde = score.Sde,
        };
        var (model, report) = PredictorTrainer.Train(score.Encoding, rows, options, initial);
        fitted?.Dispose();
        fitted = model;
        return report;
    }

    /// <summary>Up to <paramref name="count"/> distinct valid candidates not in <paramref name="exclude"/> (space strings), best predicted first.</summary>
    public IReadOnlyList<Architecture> Propose(int count, int seed, GuidanceSchedule? schedule = null, IReadOnlySet<string>? exclude = null)
    {
        var predictor = fitted ?? throw new InvalidOperationException("Call Fit before Propose.");
        var generator = new DiffusionGenerator(score, predictor, sampler);
        var collected = GuidedCollection.Collect(generator, Dataset, count, seed, schedule ?? new GuidanceSchedule(BatchSize: Math.Max(64, 2 * count)), exclude);
        LastCollection = collected;
        var predicted = predictor.PredictClean(collected.Candidates, Dataset);
        return Enumerable.Range(0, predicted.Length).OrderByDescending(i => predicted[i]).ThenBy(i => i).Take(count)
            .Select(i => collected.Candidates[i]).ToArray();
    }

    public void Dispose() => fitted?.Dispose();
}
