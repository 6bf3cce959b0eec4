namespace NasSharp.Diffusion.Encoding;

/// <summary>The spaces DiffusionNAG can generate, by name. Another fixed-topology space plugs in with one line here.</summary>
public static class DiffusionEncodings
{
    private static readonly Dictionary<string, Func<IDiffusionEncoding>> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nb201"] = () => Nb201Encoding.Instance,
        ["mbv3"] = () => Mbv3Encoding.Instance,
    };

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static IDiffusionEncoding Get(string space) =>
        Known.TryGetValue(space.Trim(), out var f) ? f()
            : throw new NasInputException($"DiffusionNAG has no encoding for space '{space}'; supported: {string.Join(", ", Known.Keys)}.");
}
