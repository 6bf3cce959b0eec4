using NasSharp.Spaces;

namespace NasSharp.Search.Strategies;

/// <param name="PopulationSize">Architectures kept alive (NASLib bbo-bs: 50).</param>
/// <param name="SampleSize">Tournament size (NASLib bbo-bs: 10).</param>
public sealed record RegularizedEvolutionOptions(int PopulationSize = 50, int SampleSize = 10);

/// <summary>
/// Regularised (aging) evolution, Real et al. 2019: the first <c>PopulationSize</c> proposals are random; afterwards each
/// proposal mutates the best of <c>SampleSize</c> population members drawn with replacement (as NASLib does), and every
/// told result joins the population while the oldest member leaves. Failed trials never join.
/// </summary>
public sealed class RegularizedEvolution : ISearchStrategy
{
    private readonly ISearchSpace _space;
    private readonly RegularizedEvolutionOptions _options;
    private readonly Random _rng;
    private readonly SeenArchitectures _seen;
    private readonly Queue<(Architecture Arch, double Score)> _population = new();
    private int _asked;

    public RegularizedEvolution(ISearchSpace space, int seed, RegularizedEvolutionOptions? options = null)
    {
        _options = options ?? new();
        if (_options.PopulationSize < 1) throw new NasInputException($"population must be at least 1, got {_options.PopulationSize}.");
        if (_options.SampleSize < 1) throw new NasInputException($"sample must be at least 1, got {_options.SampleSize}.");
        _space = space;
        _rng = new Random(seed);
        _seen = new SeenArchitectures(space);
    }

    public string Name => "re";

    public Architecture Ask()
    {
        _asked++;
        if (_asked <= _options.PopulationSize || _population.Count == 0) return _seen.DrawFresh(() => _space.Sample(_rng));
        var members = _population.ToArray();
        var parent = members[_rng.Next(members.Length)];
        for (int i = 1; i < _options.SampleSize; i++)
        {
            var m = members[_rng.Next(members.Length)];
            if (m.Score > parent.Score) parent = m;
        }
        return _seen.DrawFresh(() => _space.Mutate(parent.Arch, _rng));
    }

    public void Tell(Architecture arch, TrialResult result)
    {
        if (result.Failed) return;
        _population.Enqueue((arch, result.Score));
        while (_population.Count > _options.PopulationSize) _population.Dequeue();
    }
}
