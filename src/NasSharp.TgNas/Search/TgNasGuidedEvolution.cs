using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces;

namespace NasSharp.TgNas.Search;

/// <param name="PopulationSize">Evaluated architectures kept alive (aging), as in RE.</param>
/// <param name="SampleSize">Tournament size over the population, by evaluator score.</param>
/// <param name="Pool">Random architectures scored by TG-NAS once, at the start (warm start and fallback).</param>
/// <param name="InitialSamples">First proposals: the pool's best by TG-NAS score.</param>
/// <param name="Children">Unseen one-edit mutations of the tournament winner scored by TG-NAS per proposal.</param>
public sealed record TgNasGuidedEvolutionOptions(int PopulationSize = 50, int SampleSize = 10, int Pool = 1000, int InitialSamples = 10, int Children = 20);

/// <summary>
/// "tgnas-evolve" in ask/tell form: regularised evolution on the evaluator's results whose proposals are chosen by the
/// zero-cost TG-NAS score. TG-NAS scorings are free; only evaluator queries count toward the budget.
/// 1. Warm start: draw <c>Pool</c> random architectures (distinct up to isomorphism), score them all with TG-NAS and
///    propose the <c>InitialSamples</c> best-scored first.
/// 2. Then each proposal: pick a parent by a tournament of <c>SampleSize</c> population members (drawn with replacement)
///    on their evaluated score; make up to <c>Children</c> distinct, never-proposed one-edit mutations of it; score them
///    with TG-NAS and propose the best-scored. Every successful result joins the population, the oldest leaves beyond
///    <c>PopulationSize</c>; failed trials never join. When no unseen mutation exists, the next best unproposed pool
///    member is proposed instead (then a random unseen one).
/// Its state is a function of the seed and the told sequence (TG-NAS inference is deterministic), so runs resume exactly.
/// </summary>
public sealed class TgNasGuidedEvolution : ISearchStrategy
{
    private readonly ISearchSpace _space;
    private readonly TgNasGuidedEvolutionOptions _options;
    private readonly Func<IReadOnlyList<Architecture>, double[]> _score;
    private readonly Random _rng;
    private readonly SeenArchitectures _seen;
    private readonly Queue<(Architecture Arch, double Score)> _population = new();
    private List<Architecture>? _rankedPool;
    private int _poolNext, _asked;

    /// <param name="score">Zero-cost scores of a batch (TG-NAS; higher = better). Must be deterministic.</param>
    public TgNasGuidedEvolution(ISearchSpace space, int seed, Func<IReadOnlyList<Architecture>, double[]> score, TgNasGuidedEvolutionOptions? options = null)
    {
        _options = options ?? new();
        if (_options.PopulationSize < 1 || _options.SampleSize < 1 || _options.Pool < 1 || _options.InitialSamples < 1 || _options.Children < 1)
            throw new NasInputException("tgnas-evolve options population, sample, pool, init and children must all be at least 1.");
        _space = space;
        _score = score;
        _rng = new Random(seed);
        _seen = new SeenArchitectures(space);
    }

    public string Name => "tgnas-evolve";

    /// <summary>How many architectures TG-NAS has scored so far (pool plus children; free, not budget).</summary>
    public int ZeroCostScorings { get; private set; }

    public Architecture Ask()
    {
        _asked++;
        _rankedPool ??= RankPool();
        if (_asked <= _options.InitialSamples || _population.Count == 0) return NextFromPool();
        var members = _population.ToArray();
        var parent = members[_rng.Next(members.Length)];
        for (int i = 1; i < _options.SampleSize; i++)
        {
            var m = members[_rng.Next(members.Length)];
            if (m.Score > parent.Score) parent = m;
        }
        var children = new List<Architecture>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (int tries = 0; children.Count < _options.Children && tries < _options.Children * 20; tries++)
        {
            var child = _space.Mutate(parent.Arch, _rng);
            if (!_seen.Contains(child) && hashes.Add(_space.CanonicalHash(child))) children.Add(child);
        }
        if (children.Count == 0) return NextFromPool();
        var scores = Score(children);
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        _seen.Add(children[best]);
        return children[best];
    }

    public void Tell(Architecture arch, TrialResult result)
    {
        if (result.Failed || !double.IsFinite(result.Score)) return;
        _population.Enqueue((arch, result.Score));
        while (_population.Count > _options.PopulationSize) _population.Dequeue();
    }

    private List<Architecture> RankPool()
    {
        var drawn = new SeenArchitectures(_space);
        var pool = new List<Architecture>();
        for (int i = 0; i < _options.Pool; i++)
        {
            int before = drawn.Count;
            var a = drawn.DrawFresh(() => _space.Sample(_rng));
            if (drawn.Count > before) pool.Add(a); // else DrawFresh gave up: the space has fewer classes than the pool
        }
        var scores = Score(pool);
        return Enumerable.Range(0, pool.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Select(i => pool[i]).ToList();
    }

    private Architecture NextFromPool()
    {
        while (_poolNext < _rankedPool!.Count)
        {
            var a = _rankedPool[_poolNext++];
            if (_seen.Add(a)) return a;
        }
        return _seen.DrawFresh(() => _space.Sample(_rng));
    }

    private double[] Score(IReadOnlyList<Architecture> archs)
    {
        var s = _score(archs);
        ZeroCostScorings += archs.Count;
        // A non-finite zero-cost score must not win the argmax: it ranks last.
        return s.Select(v => double.IsFinite(v) ? v : double.NegativeInfinity).ToArray();
    }

    /// <summary>
    /// The catalog entry. Options: population=50, sample=10, pool=1000, init=10, children=20, weights=FILE (TG-NAS
    /// predictor; default the shipped one), op:NAME=TEXT (operator description overrides, as in `nas tgnas score`).
    /// </summary>
    public static StrategyDefinition Definition { get; } = new("tgnas-evolve",
        "TG-NAS-guided regularised evolution: the zero-cost TG-NAS score picks the initial samples from a random pool and the best of the tournament winner's mutations; budget = evaluator queries (options population=50, sample=10, pool=1000, init=10, children=20, weights=FILE).",
        ["population", "sample", "pool", "init", "children", .. TgNasSearchSupport.ScorerKeys],
        c =>
        {
            var o = c.Options;
            var options = new TgNasGuidedEvolutionOptions(
                StrategyOptions.Int(o, "population", 50, 1), StrategyOptions.Int(o, "sample", 10, 1), StrategyOptions.Int(o, "pool", 1000, 1, 1_000_000),
                StrategyOptions.Int(o, "init", 10, 1), StrategyOptions.Int(o, "children", 20, 1, 100_000));
            // Loaded now (process-wide cache): a bad weights file fails before a study is written.
            var scorer = TgNasSearchSupport.ScorerFor(new SearchRequest(c.Space, c.Dataset ?? "", c.Seed, 1, c.DataDirectory ?? "") { Options = o });
            return new TgNasGuidedEvolution(c.Space, c.Seed, archs => scorer.Score(archs), options);
        });
}
