using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Tests;

/// <summary>One MiniLM session for the whole test run (loading it costs ~1 s) and an in-memory cache over it.</summary>
internal static class SharedEncoder
{
    private static readonly Lazy<MiniLmEncoder> Lazy = new(() => MiniLmEncoder.Load(threads: 1));
    public static MiniLmEncoder Instance => Lazy.Value;
    public static EmbeddingCache Cache { get; } = new(file: null, () => Instance);
}
