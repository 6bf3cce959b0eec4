using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Diffusion.Training;
using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Search.Strategies.Bananas;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Search;

/// <summary>
/// DiffusionNAG-BO ("diffusion-bo", spec §7.4): BANANAS with the acquisition-optimisation step replaced by guided
/// generation. Same initial random samples, same MLP-ensemble surrogate on the path encoding and the same acquisition
/// function (ITS by default) choosing a batch of k; only the candidate pool differs — each round the noise-aware
/// predictor is fitted on every successful observation so far and the score model generates distinct, unseen
/// candidates guided by it (GuidedCandidateGenerator). Generic over the space: it needs a score model for the space
/// (a DiffusionNAG encoding); a prior predictor is optional.
/// </summary>
public sealed class DiffusionBoStrategy : ISearchStrategy, IDisposable
{
    private readonly Bananas inner;
    private readonly GuidedGenerationCandidates candidates;

    public DiffusionBoStrategy(ISearchSpace space, int seed, BananasOptions options, GuidedGenerationCandidates candidates)
    {
        this.candidates = candidates;
        inner = new Bananas(space, seed, options, candidates, Name);
    }

    public string Name => "diffusion-bo";
    /// <summary>Acquisition rounds so far (one predictor fit and one guided generation each).</summary>
    public int Rounds => inner.Fits;
    public Architecture Ask() => inner.Ask();
    public void Tell(Architecture arch, TrialResult result) => inner.Tell(arch, result);
    public void Dispose() => candidates.Dispose();

    public static readonly IReadOnlyList<string> OptionKeys =
        [.. StrategyCatalog.BananasOptionKeys, "prior", "score", "fit_steps", "refit_steps", "scale", "scale_step", "scale_floor", "batch", "rounds", "steps", "repulsion"];

    /// <summary>
    /// The catalog entry. Options: the BANANAS ones (init=10, k=10, candidates=50 generated per round, encoding, acq,
    /// ensemble, epochs) and prior=none|all|transfer|FILE (predictor to start from; default none = fitted from scratch on
    /// the observations only, so nothing about the target's table leaks in), score=FILE (default: the shipped score
    /// model of the space), fit_steps=200 for the first fit, refit_steps=60 for the warm-started refits of later rounds
    /// (0 = a full fit every round), guidance scale=8 / scale_step=1 / scale_floor=0.5, batch=2·candidates samples per
    /// generation round, rounds=5, steps=50 sampler steps (the default PC sampler of `nas diffusion sample`), repulsion=0.
    /// Cost per round is what limits the method on CPUs; docs/search.md gives the profile behind these defaults.
    /// </summary>
    public static StrategyDefinition Definition { get; } = new("diffusion-bo",
        "DiffusionNAG-BO: BANANAS' ensemble + ITS acquisition, but candidates come from diffusion guided by a noise-aware predictor fitted on the observations (options: BANANAS' plus prior=none|all|transfer|FILE, candidates=50, fit_steps=200, refit_steps=60, scale=8, batch, rounds=5, steps=50).",
        OptionKeys, Create);

    public static DiffusionBoStrategy Create(StrategyContext c)
    {
        var o = c.Options;
        var bananas = StrategyCatalog.ReadBananasOptions(o, candidates: 50);
        int wanted = bananas.Candidates;
        var schedule = new GuidanceSchedule(
            StrategyOptions.Double(o, "scale", 8), StrategyOptions.Double(o, "scale_step", 1), StrategyOptions.Double(o, "scale_floor", 0.5),
            StrategyOptions.Int(o, "batch", Math.Max(64, 2 * wanted), 1, 100_000), StrategyOptions.Int(o, "rounds", 5, 1, 1000));
        schedule.Validate();
        // Independent samples by default (the measured setting, docs/search.md); repulsion=1 gives more distinct candidates per batch.
        var sampler = new SamplerOptions { Steps = StrategyOptions.Int(o, "steps", 50, 1, 100_000), Repulsion = StrategyOptions.Double(o, "repulsion", 0) };
        sampler.Validate();
        int fitSteps = StrategyOptions.Int(o, "fit_steps", 200, 1, 1_000_000);
        int refitSteps = StrategyOptions.Int(o, "refit_steps", 60, 0, 1_000_000);
        string space = c.Space.Name;

        // The prior decides whether the predictor knows the task already; without one it learns only from observations.
        string priorChoice = o.GetValueOrDefault("prior") ?? "none";
        string? priorPath = priorChoice.ToLowerInvariant() switch
        {
            "none" => null,
            "all" => PredictorModel.DefaultPath(space),
            "transfer" => PredictorModel.DefaultPath(space, c.Dataset ?? throw new NasInputException("prior=transfer needs the target --dataset.")),
            _ => priorChoice,
        };
        if (priorPath is not null && !File.Exists(priorPath))
            throw new NasInputException($"diffusion-bo prior predictor '{priorPath}' does not exist; use prior=none, all, transfer (where shipped) or a FILE.");
        var scorePath = o.GetValueOrDefault("score") ?? ScoreModel.DefaultPath(space);
        if (!File.Exists(scorePath))
            throw new NasInputException($"diffusion-bo needs a DiffusionNAG score model for space '{space}': '{scorePath}' does not exist (train one with 'nas diffusion train --space {space}' and pass --option score=FILE).");

        var score = ScoreModel.Load(scorePath, space);
        PredictorModel? prior = null;
        try
        {
            prior = priorPath is null ? null : PredictorModel.Load(priorPath, space);
            // Dataset conditioning only means something to a prior that learnt datasets; a fresh fit has one task.
            string? dataset = prior is not null && c.Dataset is not null ? DatasetCatalog.Get(c.Dataset).Name : null;
            var generator = new GuidedCandidateGenerator(score, prior, dataset, sampler);
            var source = new GuidedGenerationCandidates(generator, score, prior, fitSteps, schedule) { RefitSteps = refitSteps };
            return new DiffusionBoStrategy(c.Space, c.Seed, bananas, source);
        }
        catch
        {
            prior?.Dispose();
            score.Dispose();
            throw;
        }
    }
}

/// <summary>
/// The guided-generation candidate pool: fit the noise-aware predictor on the observations (seeded from the strategy's
/// random stream), then generate distinct valid architectures not yet proposed, best predicted first.
/// </summary>
public sealed class GuidedGenerationCandidates(GuidedCandidateGenerator generator, ScoreModel score, PredictorModel? prior,
    int fitSteps, GuidanceSchedule schedule) : ICandidateSource, IDisposable
{
    /// <summary>Held-out report of the last fit (none below 20 observations) and the candidates the last round produced.</summary>
    public PredictorTrainingReport? LastFit { get; private set; }
    public int LastGenerated { get; private set; }
    /// <summary>Steps of the warm-started refit in rounds after the first (0 = fit every round afresh with fitSteps).</summary>
    public int RefitSteps { get; init; }
    private int rounds;

    public IReadOnlyList<Architecture> Propose(CandidateRequest request)
    {
        // Seeds come from the strategy's stream, so replaying the told sequence on resume regenerates the same pool.
        int fitSeed = request.Rng.Next(), generationSeed = request.Rng.Next();
        if (request.Observed.Count < 2) return [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool warm = RefitSteps > 0 && generator.Predictor is not null;
        LastFit = generator.Fit(request.Observed.Select(t => (t.Arch, t.Score)).ToList(), fitSeed, warm ? RefitSteps : fitSteps, warm);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        var exclude = request.Observed.Select(t => score.Encoding.Key(t.Arch)).ToHashSet(StringComparer.Ordinal);
        var proposed = generator.Propose(request.Count, generationSeed, schedule, exclude);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var result = proposed.Where(a => !request.IsSeen(a) && hashes.Add(request.Space.CanonicalHash(a))).ToList();
        LastGenerated = result.Count;
        rounds++;
        // Per-round cost, the profile behind the option defaults (docs/search.md).
        if (Environment.GetEnvironmentVariable("NASSHARP_TRACE_DBO") is "1")
            Console.Error.WriteLine($"diffusion-bo round {rounds}: {request.Observed.Count} obs, fit {fitSeconds:F2} s, generate {clock.Elapsed.TotalSeconds - fitSeconds:F2} s, {result.Count} candidates from {generator.LastCollection?.Generated} samples in {generator.LastCollection?.Rounds} rounds");
        return result;
    }

    public void Dispose()
    {
        generator.Dispose();
        prior?.Dispose();
        score.Dispose();
    }
}
