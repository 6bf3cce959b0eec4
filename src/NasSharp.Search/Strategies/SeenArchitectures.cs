using NasSharp.Spaces;

namespace NasSharp.Search.Strategies;

/// <summary>
/// The canonical hashes a strategy has already proposed, so it does not spend evaluations on isomorphic duplicates.
/// When a draw keeps hitting seen classes (a small or exhausted space) it gives up after a bounded number of tries and
/// returns the last draw rather than looping forever.
/// </summary>
public sealed class SeenArchitectures(ISearchSpace space)
{
    private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);

    public const int MaxTries = 200;

    public int Count => _hashes.Count;

    public bool Contains(Architecture arch) => _hashes.Contains(space.CanonicalHash(arch));

    /// <summary>Marks as seen; true when it was new.</summary>
    public bool Add(Architecture arch) => _hashes.Add(space.CanonicalHash(arch));

    /// <summary>Draws until an unseen class comes up (at most <see cref="MaxTries"/> draws), marks it seen and returns it.</summary>
    public Architecture DrawFresh(Func<Architecture> draw)
    {
        Architecture arch = draw();
        for (int i = 1; i < MaxTries && Contains(arch); i++) arch = draw();
        Add(arch);
        return arch;
    }
}
