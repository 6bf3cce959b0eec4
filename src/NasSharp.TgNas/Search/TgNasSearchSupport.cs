using System.Collections.Concurrent;
using NasSharp.Search;
using NasSharp.TgNas.Model;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Search;

/// <summary>What both TG-NAS searches share: the predictor (loaded once per weights file and process) and the scorer.</summary>
internal static class TgNasSearchSupport
{
    private static readonly ConcurrentDictionary<string, Lazy<TgNasPredictor>> Predictors = new();

    /// <summary>The options <see cref="ScorerFor"/> reads: weights=FILE, op:NAME=TEXT, darts-graph=normal|both|mean.</summary>
    public static IReadOnlyList<string> ScorerKeys { get; } = ["weights", "op:", "darts-graph"];

    public static TgNasScorer ScorerFor(SearchRequest request)
    {
        var path = Path.GetFullPath(request.Options.GetValueOrDefault("weights") ?? TgNasPredictor.DefaultPath);
        var predictor = Predictors.GetOrAdd(path, p => new Lazy<TgNasPredictor>(() => TgNasPredictor.Load(p))).Value;
        var overrides = request.Options.Where(kv => kv.Key.StartsWith("op:", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[3..], kv => OperatorDescriptions.Validate(kv.Key[3..], kv.Value));
        return new TgNasScorer(predictor, request.Space, overrides, dartsMode: DartsMode(request));
    }

    /// <summary>Option darts-graph=normal|both|mean (default both; docs/tgnas.md "DARTS").</summary>
    public static NasSharp.TgNas.Graphs.DartsGraphMode DartsMode(SearchRequest request) =>
        !request.Options.TryGetValue("darts-graph", out var text) ? NasSharp.TgNas.Graphs.DartsGraphMode.Both
        : Enum.TryParse<NasSharp.TgNas.Graphs.DartsGraphMode>(text, ignoreCase: true, out var m) && Enum.IsDefined(m) ? m
        : throw new NasInputException($"--option darts-graph={text} must be normal, both or mean.");

    public static int IntOption(SearchRequest request, string key, int fallback, int min, int max)
    {
        if (!request.Options.TryGetValue(key, out var text)) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new NasInputException($"--option {key}={text} must be an integer in {min}..{max}.");
        return v;
    }
}
