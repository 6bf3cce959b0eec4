using System.Collections.Concurrent;
using NasSharp.Benchmarks;
using NasSharp.Search;
using NasSharp.Search.Evaluators;

namespace NasSharp.Distributed.Evaluators;

/// <summary>What evaluator a worker runs, chosen by name on its command line.</summary>
public sealed record EvaluatorSettings(string Name, string DataDirectory)
{
    /// <summary>Artificial training time per trial (stands in for real training when measuring the engine).</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Benchmark metric used as the score; null = the benchmark evaluator's default (validation accuracy).</summary>
    public string? Metric { get; init; }
    /// <summary>Architectures (space string form) whose evaluation always throws — fault injection.</summary>
    public IReadOnlySet<string> Poisoned { get; init; } = new HashSet<string>();
}

/// <summary>
/// Builds a worker's evaluators by name, one per (space, dataset), cached because loading a benchmark table is the
/// expensive part. Known names: "benchmark" (NasSharp.Search's table lookup, plus an optional artificial --delay-ms).
/// </summary>
public sealed class WorkerEvaluators(EvaluatorSettings settings)
{
    public static readonly IReadOnlyList<string> Names = ["benchmark"];

    private readonly ConcurrentDictionary<(string Space, string Dataset), Lazy<IEvaluator>> _cache = new();

    public EvaluatorSettings Settings => settings;

    public static void Validate(EvaluatorSettings s)
    {
        if (!Names.Contains(s.Name, StringComparer.OrdinalIgnoreCase))
            throw new NasInputException($"Unknown evaluator '{s.Name}'; available: {string.Join(", ", Names)}.");
        if (s.Delay < TimeSpan.Zero) throw new NasInputException("--delay-ms must be 0 or positive.");
    }

    public IEvaluator Get(string space, string dataset) =>
        _cache.GetOrAdd((space.ToLowerInvariant(), dataset.ToLowerInvariant()), key => new Lazy<IEvaluator>(() => Create(key.Space, key.Dataset))).Value;

    private IEvaluator Create(string space, string dataset)
    {
        IEvaluator e = settings.Name.ToLowerInvariant() switch
        {
            "benchmark" => new DelayedEvaluator(new BenchmarkEvaluator(BenchmarkTables.Load(space, settings.DataDirectory), dataset, settings.Metric), settings.Delay),
            _ => throw new NasInputException($"Unknown evaluator '{settings.Name}'; available: {string.Join(", ", Names)}."),
        };
        return settings.Poisoned.Count > 0 ? new PoisonEvaluator(e, settings.Poisoned) : e;
    }
}
