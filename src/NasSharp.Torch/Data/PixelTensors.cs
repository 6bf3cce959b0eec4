using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>Turns raw uint8 pixel planes into normalised float tensors in one batched pass.</summary>
internal static class PixelTensors
{
    /// <summary>bytes laid out N×C×H×W (0..255) → float32 (x/255 − mean)/std per channel.</summary>
    public static Tensor Normalised(byte[] pixels, long n, long c, long h, long w, Normalization norm)
    {
        if (norm.Channels != c)
            throw new NasInputException($"Normalization has {norm.Channels} channel(s) but the images have {c}.");
        using var scope = NewDisposeScope();
        var raw = tensor(pixels, new[] { n, c, h, w });
        var mean = tensor(norm.Mean).view(1, c, 1, 1);
        var std = tensor(norm.Std).view(1, c, 1, 1);
        return raw.to_type(ScalarType.Float32).div_(255f).sub_(mean).div_(std).MoveToOuterDisposeScope();
    }
}
