using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>
/// The data every data-dependent proxy of one architecture sees: one labelled mini-batch (the same tensors for all
/// proxies, as in the reference harnesses) plus a second, disjoint batch for ZiCo, which needs gradients of two batches.
/// Owns its tensors.
/// </summary>
public sealed class ProxyBatch : IDisposable
{
    public ProxyBatch(Tensor inputs, Tensor labels, Tensor secondInputs, Tensor secondLabels, int numClasses, string source)
    {
        Inputs = inputs.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        SecondInputs = secondInputs.DetachFromDisposeScope();
        SecondLabels = secondLabels.DetachFromDisposeScope();
        NumClasses = numClasses;
        Source = source;
    }

    /// <summary>N×C×H×W float32, normalised.</summary>
    public Tensor Inputs { get; }
    /// <summary>N int64 class labels.</summary>
    public Tensor Labels { get; }
    public Tensor SecondInputs { get; }
    public Tensor SecondLabels { get; }
    public int NumClasses { get; }
    /// <summary>Where the images came from (a file, or "synthetic N(0,1)").</summary>
    public string Source { get; }

    public long[] ImageShape => Inputs.shape[1..];

    public void Dispose()
    {
        Inputs.Dispose(); Labels.Dispose(); SecondInputs.Dispose(); SecondLabels.Dispose();
    }
}
