using NasSharp.Benchmarks;
using NasSharp.Search.Evaluators;

namespace NasSharp.Search.Running;

/// <summary>
/// Evaluators by kind for `--option evaluator=KIND[:ARG]`: "benchmark" (default; table lookup, optional
/// `metric=NAME` for the score) is built in; other assemblies register more (the CLI registers "proxy:NAME").
/// </summary>
public static class SearchEvaluators
{
    private static readonly Dictionary<string, Func<SearchRequest, string?, IEvaluator>> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["benchmark"] = (request, _) => Benchmark(request),
    };

    /// <summary>Option keys the evaluators read: evaluator and metric, plus those each registered kind declares.</summary>
    private static readonly SortedSet<string> Keys = new(StringComparer.OrdinalIgnoreCase) { "evaluator", "metric" };
    private static readonly Lock Gate = new();

    public static IReadOnlyCollection<string> Names => Kinds.Keys;

    /// <summary>Every option key some evaluator reads (strategies accept these besides their own).</summary>
    public static IReadOnlyList<string> OptionKeys
    {
        get { lock (Gate) return [.. Keys]; }
    }

    /// <summary>Adds an evaluator kind; <paramref name="optionKeys"/> are the `--option` keys it reads (so they are not refused as typos).</summary>
    public static void Register(string kind, Func<SearchRequest, string?, IEvaluator> factory, params IEnumerable<string> optionKeys)
    {
        lock (Gate)
        {
            Kinds[kind] = factory;
            foreach (var k in optionKeys) Keys.Add(k);
        }
    }

    /// <summary>The evaluator the request asks for, and its identity string (stored with a study so a resume must match it).</summary>
    public static (IEvaluator Evaluator, string Spec) Resolve(SearchRequest request)
    {
        var spec = request.Options.GetValueOrDefault("evaluator") ?? "benchmark";
        int colon = spec.IndexOf(':');
        var kind = colon < 0 ? spec : spec[..colon];
        var arg = colon < 0 ? null : spec[(colon + 1)..];
        if (!Kinds.TryGetValue(kind, out var factory))
            throw new NasInputException($"Unknown evaluator '{spec}'; available kinds: {string.Join(", ", Kinds.Keys.Order())} (e.g. --option evaluator=benchmark).");
        var evaluator = factory(request, arg);
        return (evaluator, evaluator.Name);
    }

    public static BenchmarkEvaluator Benchmark(SearchRequest request)
    {
        // Without a table the default evaluator cannot work: say which evaluators and strategies still do.
        if (!BenchmarkTables.Names.Contains(request.Space.Name, StringComparer.OrdinalIgnoreCase))
            throw new NasInputException($"No benchmark table for space '{request.Space.Name}' (tables exist for: {string.Join(", ", BenchmarkTables.Names)}); " +
                "evaluate by training (--option evaluator=train), by a proxy (--option evaluator=proxy:NAME), or search zero-shot (--strategy tgnas-zero-shot|tgnas-prune).");
        return new(BenchmarkTables.Load(request.Space.Name, request.DataDirectory), request.Dataset, request.Options.GetValueOrDefault("metric"));
    }
}
