using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>
/// Deterministic mini-batches: epoch e of seed s always yields the same order, independent of anything drawn before
/// (so a resumed training sees the same batches as an uninterrupted one). The permutation comes from its own
/// torch generator seeded with (s, e); it never touches torch's global generator.
/// </summary>
public sealed class BatchSampler(int count, int batchSize, long seed, bool shuffle = true, bool dropLast = false)
{
    public int Count { get; } = count > 0 ? count : throw new NasInputException($"Cannot sample batches from an empty dataset ({count} images).");
    public int BatchSize { get; } = batchSize > 0 ? batchSize : throw new NasInputException($"Batch size must be positive, got {batchSize}.");

    public int BatchesPerEpoch => dropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>
    /// The image indices of each batch of <paramref name="epoch"/> as int64 tensors, each created when it is reached, so it
    /// belongs to the dispose scope of the step that consumes it.
    /// </summary>
    public IEnumerable<Tensor> Batches(int epoch)
    {
        var order = Order(epoch);
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            int start = b * BatchSize, len = Math.Min(BatchSize, Count - start);
            yield return tensor(order.AsSpan(start, len).ToArray());
        }
    }

    /// <summary>The full image order of an epoch.</summary>
    public long[] Order(int epoch)
    {
        if (!shuffle) return Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        using var g = new Generator(EpochSeed(seed, epoch));
        using var perm = randperm(Count, generator: g);
        return perm.data<long>().ToArray();
    }

    /// <summary>A well-mixed seed per (seed, epoch) pair (SplitMix64 finaliser).</summary>
    public static ulong EpochSeed(long seed, int epoch)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
