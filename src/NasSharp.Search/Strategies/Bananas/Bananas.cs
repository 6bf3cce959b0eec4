using NasSharp.Spaces;

namespace NasSharp.Search.Strategies.Bananas;

/// <summary>Acquisition functions of BANANAS: independent Thompson sampling (NASLib's default) or an upper confidence bound.</summary>
public enum AcquisitionKind { Its, Ucb }

/// <summary>Defaults follow NASLib's bbo-bs BANANAS configuration (search-baselines.md §2c).</summary>
public sealed record BananasOptions(
    int InitialSamples = 10,
    int BatchSize = 10,
    int Candidates = 200,
    int ArchesToMutate = 5,
    EncodingKind Encoding = EncodingKind.Path,
    AcquisitionKind Acquisition = AcquisitionKind.Its,
    double UcbExploration = 0.5,
    MlpEnsembleOptions? Ensemble = null);

/// <summary>
/// BANANAS (White et al. 2021): Bayesian optimisation with an ensemble of MLPs on the path (or adjacency) encoding and a
/// mutation-based acquisition step. After <c>InitialSamples</c> random proposals, whenever its batch is empty it fits the
/// ensemble to every told result, mutates the <c>ArchesToMutate</c> best architectures into <c>Candidates</c> unseen
/// candidates, scores them with the acquisition function and queues the best <c>BatchSize</c> — as NASLib does, one
/// queued architecture per query. Another <see cref="ICandidateSource"/> replaces the mutation step (DiffusionNAG-BO).
/// </summary>
public sealed class Bananas : ISearchStrategy
{
    private readonly ISearchSpace _space;
    private readonly BananasOptions _options;
    private readonly Random _rng;
    private readonly SeenArchitectures _seen;
    private readonly List<(Architecture Arch, double Score)> _told = [];
    private readonly Queue<Architecture> _batch = new();
    private readonly ICandidateSource _candidates;
    private int _asked;

    /// <param name="candidates">The acquisition-optimisation step (default: BANANAS' mutations of the best architectures).</param>
    /// <param name="name">The strategy's name (a different candidate source is a different strategy).</param>
    public Bananas(ISearchSpace space, int seed, BananasOptions? options = null, ICandidateSource? candidates = null, string name = "bananas")
    {
        _options = options ?? new();
        if (_options.InitialSamples < 1 || _options.BatchSize < 1 || _options.Candidates < 1 || _options.ArchesToMutate < 1)
            throw new NasInputException("BANANAS options initial, batch, candidates and mutate must all be at least 1.");
        _space = space;
        _rng = new Random(seed);
        _seen = new SeenArchitectures(space);
        _candidates = candidates ?? new MutationCandidates(_options.ArchesToMutate);
        Name = name;
    }

    public string Name { get; }

    /// <summary>Number of times the ensemble was fitted (one per acquisition batch).</summary>
    public int Fits { get; private set; }

    public Architecture Ask()
    {
        _asked++;
        if (_asked <= _options.InitialSamples || _told.Count == 0) return _seen.DrawFresh(() => _space.Sample(_rng));
        while (_batch.Count > 0)
        {
            var next = _batch.Dequeue();
            if (_seen.Add(next)) return next;
        }
        foreach (var a in Acquire()) _batch.Enqueue(a);
        while (_batch.Count > 0)
        {
            var next = _batch.Dequeue();
            if (_seen.Add(next)) return next;
        }
        return _seen.DrawFresh(() => _space.Sample(_rng)); // every mutation was seen: fall back to exploration
    }

    public void Tell(Architecture arch, TrialResult result)
    {
        if (!result.Failed && double.IsFinite(result.Score)) _told.Add((arch, result.Score));
    }

    private List<Architecture> Acquire()
    {
        Fits++;
        var vocabulary = new FeatureVocabulary(_told.Select(t => ArchitectureEncoding.Features(t.Arch, _options.Encoding)));
        var xs = _told.Select(t => vocabulary.Encode(ArchitectureEncoding.Features(t.Arch, _options.Encoding))).ToList();
        var ensemble = new MlpEnsemble(xs, _told.Select(t => t.Score).ToList(), _options.Ensemble ?? new(), _rng);

        var candidates = _candidates.Propose(new CandidateRequest(_space, _told, _options.Candidates, Fits, _rng, _seen.Contains));
        var scored = candidates.Select(c =>
        {
            var p = ensemble.Predict(vocabulary.Encode(ArchitectureEncoding.Features(c, _options.Encoding)));
            return (Arch: c, Value: Acquisition(p));
        }).ToList();
        return scored.OrderByDescending(s => s.Value).Take(_options.BatchSize).Select(s => s.Arch).ToList();
    }

    private double Acquisition(Prediction p) => _options.Acquisition switch
    {
        AcquisitionKind.Ucb => p.Mean + _options.UcbExploration * p.Std,
        _ => p.Mean + p.Std * StandardNormal(_rng), // ITS: one draw from each candidate's predictive distribution
    };

    private static double StandardNormal(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
