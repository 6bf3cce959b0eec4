using NasSharp.Spaces.Nb101;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Spaces;

/// <summary>The registry of search spaces by name; later spaces (DARTS, MobileNetV3, user-defined) register here.</summary>
public static class SearchSpaces
{
    private static readonly Dictionary<string, ISearchSpace> Registered = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nb201"] = Nb201Space.Instance,
        ["nb101"] = Nb101Space.Instance,
        ["darts"] = Darts.DartsSpace.Instance,
        ["mbv3"] = Mbv3.Mbv3Space.Instance,
    };

    public static IReadOnlyCollection<ISearchSpace> All => Registered.Values;

    public static void Register(ISearchSpace space) => Registered[space.Name] = space;

    public static ISearchSpace Get(string name) =>
        Registered.TryGetValue(name, out var s) ? s
            : throw new NasInputException($"Unknown search space '{name}'; available: {string.Join(", ", Registered.Keys)}.");
}
