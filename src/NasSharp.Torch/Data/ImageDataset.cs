using static TorchSharp.torch;

namespace NasSharp.Torch.Data;

/// <summary>
/// An in-memory labelled image set: <see cref="Images"/> N×C×H×W float32 (already normalised) and <see cref="Labels"/> N int64.
/// Owns its tensors (they live outside any dispose scope); dispose it when done.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    public ImageDataset(string name, Tensor images, Tensor labels, int numClasses)
    {
        if (images.dim() != 4) throw new ArgumentException($"images must be N×C×H×W, got shape [{string.Join(",", images.shape)}]");
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"labels must be a vector of {images.shape[0]} entries, got [{string.Join(",", labels.shape)}]");
        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        NumClasses = numClasses;
    }

    public string Name { get; }
    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int NumClasses { get; }
    public int Count => (int)Images.shape[0];
    public int Channels => (int)Images.shape[1];
    public int Height => (int)Images.shape[2];
    public int Width => (int)Images.shape[3];

    /// <summary>The first <paramref name="count"/> images (a view; the original keeps ownership of the memory).</summary>
    public ImageDataset Take(int count)
    {
        if (count >= Count) count = Count;
        using var scope = NewDisposeScope();
        return new ImageDataset(Name, Images.narrow(0, 0, count).clone(), Labels.narrow(0, 0, count).clone(), NumClasses);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
