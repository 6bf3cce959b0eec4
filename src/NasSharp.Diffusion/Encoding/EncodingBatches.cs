using NasSharp.Spaces;

namespace NasSharp.Diffusion.Encoding;

/// <summary>Whole-batch conversions between architectures and the flat float arrays tensors are built from.</summary>
public static class EncodingBatches
{
    /// <summary>Centred X (2x−1, values ±1) of every architecture, flat [B, Nodes, OpTypes].</summary>
    public static float[] EncodeCentred(IDiffusionEncoding enc, IReadOnlyList<Architecture> archs)
    {
        int size = enc.Nodes * enc.OpTypes;
        var data = new float[archs.Count * size];
        for (int b = 0; b < archs.Count; b++)
        {
            var x = data.AsSpan(b * size, size);
            enc.Encode(archs[b], x);
            for (int i = 0; i < size; i++) x[i] = 2f * x[i] - 1f;
        }
        return data;
    }

    /// <summary>
    /// Decodes sampled centred values: (x+1)/2, then the released code's ≥ 0.5 threshold (spec §2.1) — not argmax, so a
    /// row the sampler left ambiguous counts as invalid. A non-finite entry makes the sample invalid.
    /// </summary>
    public static DecodedSample[] DecodeCentred(IDiffusionEncoding enc, ReadOnlySpan<float> centred, int count)
    {
        int size = enc.Nodes * enc.OpTypes;
        if (centred.Length != count * size) throw new ArgumentException("Sample array does not match the count.");
        var result = new DecodedSample[count];
        var bits = new float[size];
        for (int b = 0; b < count; b++)
        {
            var x = centred.Slice(b * size, size);
            bool finite = true;
            for (int i = 0; i < size; i++)
            {
                if (!float.IsFinite(x[i])) finite = false;
                bits[i] = (x[i] + 1f) / 2f >= 0.5f ? 1f : 0f;
            }
            result[b] = finite
                ? new DecodedSample(enc.Decode(bits, out var why), why, true)
                : new DecodedSample(null, "non-finite values", false);
        }
        return result;
    }
}

/// <summary>One decoded sample: the architecture when valid, else why not; Finite is false when the sampler produced NaN/Inf.</summary>
public readonly record struct DecodedSample(Architecture? Architecture, string? Reason, bool Finite)
{
    public bool IsValid => Architecture is not null;
}
