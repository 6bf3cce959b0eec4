using System.Collections.Concurrent;

namespace NasSharp.Benchmarks;

/// <summary>Loads benchmark tables by space name, once per process and data directory (tables are immutable).</summary>
public static class BenchmarkTables
{
    private static readonly ConcurrentDictionary<(string, string), Lazy<IBenchmark>> Cache = new();

    private static readonly Dictionary<string, Func<string, IBenchmark>> Loaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nb201"] = Nb201Benchmark.Load,
        ["nb101"] = Nb101Benchmark.Load,
    };

    public static IReadOnlyCollection<string> Names => Loaders.Keys;

    public static void Register(string space, Func<string, IBenchmark> loader) => Loaders[space] = loader;

    public static IBenchmark Load(string space, string dataDirectory)
    {
        if (!Loaders.TryGetValue(space, out var loader))
            throw new NasInputException($"No benchmark table for space '{space}'; tables exist for: {string.Join(", ", Loaders.Keys)}.");
        var lazy = Cache.GetOrAdd((space.ToLowerInvariant(), Path.GetFullPath(dataDirectory)), key => new Lazy<IBenchmark>(() => loader(key.Item2)));
        try { return lazy.Value; }
        catch { Cache.TryRemove(new((space.ToLowerInvariant(), Path.GetFullPath(dataDirectory)), lazy)); throw; }
    }
}
