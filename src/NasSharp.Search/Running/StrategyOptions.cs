using System.Globalization;

namespace NasSharp.Search.Running;

/// <summary>Typed reads of the free-form `--option key=value` pairs, with errors that name the key and the fix.</summary>
public static class StrategyOptions
{
    public static int Int(IReadOnlyDictionary<string, string> options, string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!options.TryGetValue(key, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new NasInputException($"Option {key}={text} is not an integer in [{min}, {max}]; fix --option {key}=N.");
        return v;
    }

    public static double Double(IReadOnlyDictionary<string, string> options, string key, double fallback)
    {
        if (!options.TryGetValue(key, out var text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new NasInputException($"Option {key}={text} is not a finite number; fix --option {key}=X.");
        return v;
    }

    public static T Enum<T>(IReadOnlyDictionary<string, string> options, string key, T fallback) where T : struct, System.Enum
    {
        if (!options.TryGetValue(key, out var text)) return fallback;
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var v) && System.Enum.IsDefined(v) ? v
            : throw new NasInputException($"Option {key}={text} is not one of: {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
    }

    public static bool Bool(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var text) && (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));
}
