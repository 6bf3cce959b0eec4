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
    /// <summary>Settings of registered evaluators (e.g. the training evaluator's data, epochs, subset), snake_case keys.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Builds a worker's evaluators by name, one per (space, dataset), cached because loading a benchmark table (or a
/// training set) is the expensive part. Built in: "benchmark" (NasSharp.Search's table lookup, plus an optional
/// artificial --delay-ms). Other assemblies register more with <see cref="Register"/> (the CLI registers "train", which
/// trains candidates with TorchSharp), so this library needs no TorchSharp.
/// </summary>
public sealed class WorkerEvaluators(EvaluatorSettings settings)
{
    /// <summary>Builds an evaluator for (settings, space, dataset).</summary>
    public delegate IEvaluator Factory(EvaluatorSettings settings, string space, string dataset);

    private static readonly ConcurrentDictionary<string, Factory> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["benchmark"] = (s, space, dataset) => new BenchmarkEvaluator(BenchmarkTables.Load(space, s.DataDirectory), dataset, s.Metric),
    };

    private readonly ConcurrentDictionary<(string Space, string Dataset), Lazy<IEvaluator>> _cache = new();

    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Adds (or replaces) an evaluator kind; idempotent.</summary>
    public static void Register(string name, Factory factory) => Factories[name] = factory;

    public EvaluatorSettings Settings => settings;

    public static void Validate(EvaluatorSettings s)
    {
        if (!Factories.ContainsKey(s.Name))
            throw new NasInputException($"Unknown evaluator '{s.Name}'; available: {string.Join(", ", Names)}.");
        if (s.Delay < TimeSpan.Zero) throw new NasInputException("--delay-ms must be 0 or positive.");
    }

    public IEvaluator Get(string space, string dataset) =>
        _cache.GetOrAdd((space.ToLowerInvariant(), dataset.ToLowerInvariant()), key => new Lazy<IEvaluator>(() => Create(key.Space, key.Dataset))).Value;

    private IEvaluator Create(string space, string dataset)
    {
        if (!Factories.TryGetValue(settings.Name, out var factory))
            throw new NasInputException($"Unknown evaluator '{settings.Name}'; available: {string.Join(", ", Names)}.");
        IEvaluator e = new DelayedEvaluator(factory(settings, space, dataset), settings.Delay);
        return settings.Poisoned.Count > 0 ? new PoisonEvaluator(e, settings.Poisoned) : e;
    }
}
