using NasSharp.Spaces;

namespace NasSharp.Proxies;

/// <summary>
/// A training-free score of an architecture (a zero-cost proxy, or a learned predictor such as TG-NAS).
/// Every proxy is used as "larger is better"; a proxy whose raw quantity is the other way round negates it and says so.
/// A proxy never returns NaN or ±Inf: where its math breaks down it returns a documented fallback and a warning.
/// </summary>
public interface IProxy
{
    /// <summary>Identifier used on the command line (e.g. "synflow").</summary>
    string Name { get; }
    ProxyResult Score(Architecture arch, ProxyContext context);
}

/// <summary>A proxy's score plus anything the user should know about how it was obtained (fallbacks, clipping).</summary>
public sealed record ProxyResult(double Value, IReadOnlyList<string> Warnings)
{
    public static ProxyResult Of(double value) => new(value, []);
}

/// <summary>
/// What a proxy may need besides the architecture. Torch-based proxies build their data batch from these fields
/// (seeded, so the same context gives the same score).
/// </summary>
public sealed record ProxyContext
{
    public int Seed { get; init; } = 0;
    /// <summary>Benchmark dataset the score is for (cifar10, cifar100, imagenet16-120): sets classes and input size.</summary>
    public string Dataset { get; init; } = "cifar10";
    public int BatchSize { get; init; } = 64;
    /// <summary>Data directory for real image batches; null means proxies use synthetic data where they allow it.</summary>
    public string? DataDirectory { get; init; }
}
