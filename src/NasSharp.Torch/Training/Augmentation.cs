using NasSharp.Torch.Interop;
using static TorchSharp.torch;

namespace NasSharp.Torch.Training;

/// <summary>
/// Light augmentation on a whole batch at once (no per-image loop): random crop after zero padding, and horizontal flip
/// with probability ½, every image with its own offsets, all drawn from the given generator.
/// Padding is applied to normalised images, so the border is the dataset mean colour (torchvision pads raw pixels with black).
/// </summary>
public static class Augmentation
{
    public static Tensor RandomCropFlip(Tensor images, int padding, Generator generator)
    {
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var x = images;
        if (padding > 0)
        {
            var padded = nn.functional.pad(images, [padding, padding, padding, padding]);
            var dy = randint(0, 2 * padding + 1, [n], ScalarType.Int64, generator: generator);
            var dx = randint(0, 2 * padding + 1, [n], ScalarType.Int64, generator: generator);
            var rows = dy.view(n, 1).Plus(arange(h, dtype: ScalarType.Int64).view(1, h)).view(n, 1, h, 1).expand(n, c, h, w + 2 * padding);
            x = padded.gather(2, rows);
            var cols = dx.view(n, 1).Plus(arange(w, dtype: ScalarType.Int64).view(1, w)).view(n, 1, 1, w).expand(n, c, h, w);
            x = x.gather(3, cols);
        }
        var flip = rand([n], generator: generator).lt(LiveScalars.Half).view(n, 1, 1, 1);
        return where(flip, x.flip(3), x);
    }
}
