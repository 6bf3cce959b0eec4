namespace NasSharp.Spaces;

/// <summary>
/// What can be built. A space owns its string form, its sampling and mutation rules, its validity check and its
/// notion of "same function" (<see cref="CanonicalHash"/>). New spaces plug in by implementing this interface and
/// registering with <see cref="SearchSpaces"/>.
/// </summary>
public interface ISearchSpace
{
    /// <summary>Short identifier used on the command line (e.g. "nb201").</summary>
    string Name { get; }
    /// <summary>One line for humans.</summary>
    string Title { get; }
    OpPlacement Placement { get; }
    /// <summary>The operation vocabulary, each with its English description (TG-NAS embeds these).</summary>
    IReadOnlyList<OperationInfo> Operations { get; }

    /// <summary>Number of architectures, or null when the space is too large to count exactly.</summary>
    long? Size { get; }
    /// <summary>True when <see cref="Enumerate"/> lists the whole space.</summary>
    bool CanEnumerate { get; }

    /// <summary>Parses the space's own string form; throws <see cref="NasInputException"/> naming the problem.</summary>
    Architecture Parse(string text);
    string Format(Architecture arch);

    /// <summary>A uniformly random valid architecture (as the space defines "valid"), drawn from <paramref name="rng"/>.</summary>
    Architecture Sample(Random rng);
    IEnumerable<Architecture> Enumerate();
    /// <summary>All valid architectures one edit away (one op changed, or one edge added/removed where the space allows).</summary>
    IEnumerable<Architecture> Neighbours(Architecture arch);
    /// <summary>A random valid neighbour.</summary>
    Architecture Mutate(Architecture arch, Random rng);

    bool IsValid(Architecture arch, out string? reason);
    /// <summary>Equal for architectures that compute the same function (isomorphic cells), different otherwise.</summary>
    string CanonicalHash(Architecture arch);
}
