namespace NasSharp.Search;

/// <summary>
/// The one check of `--option KEY=VALUE` keys against what a strategy reads, so a typo (populaton=3) is refused instead
/// of running with the default. A declared key ending in ':' is a prefix (op: for op:NAME=TEXT).
/// </summary>
public static class SearchOptionKeys
{
    public static bool Matches(IEnumerable<string> declared, string key) => declared.Any(k =>
        k.EndsWith(':') ? key.StartsWith(k, StringComparison.OrdinalIgnoreCase) && key.Length > k.Length : k.Equals(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Refuses the first key (in sorted order, so the message is deterministic) that neither list declares.</summary>
    /// <param name="own">The keys the strategy itself reads.</param>
    /// <param name="shared">Keys every strategy of its kind accepts (recording, evaluator); listed separately.</param>
    public static void RequireKnown(string strategy, IEnumerable<string> keys, IReadOnlyList<string> own, IReadOnlyList<string>? shared = null)
    {
        shared ??= [];
        foreach (var key in keys.Order(StringComparer.Ordinal))
            if (!Matches(own, key) && !Matches(shared, key))
                throw new NasInputException($"Unknown option '{key}' for strategy '{strategy}'; valid keys: " +
                    $"{(own.Count == 0 ? "none of its own" : string.Join(", ", own.Select(Shown)))}" +
                    $"{(shared.Count == 0 ? "" : $" (plus, for every run: {string.Join(", ", shared.Select(Shown))})")}.");
    }

    /// <summary>How a declared key is written in messages (op: becomes op:NAME).</summary>
    public static string Shown(string key) => key.EndsWith(':') ? key + "NAME" : key;
}
