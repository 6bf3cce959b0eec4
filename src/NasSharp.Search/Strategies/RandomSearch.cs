using NasSharp.Spaces;

namespace NasSharp.Search.Strategies;

/// <summary>Random search: uniform samples from the space, skipping isomorphic duplicates of earlier proposals.</summary>
public sealed class RandomSearch(ISearchSpace space, int seed) : ISearchStrategy
{
    private readonly Random _rng = new(seed);
    private readonly SeenArchitectures _seen = new(space);

    public string Name => "random";

    public Architecture Ask() => _seen.DrawFresh(() => space.Sample(_rng));

    public void Tell(Architecture arch, TrialResult result) { }
}
