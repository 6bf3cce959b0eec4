using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Torch.Interop;

/// <summary>
/// Scalars that are never collected, and additions that use them.
/// <para>
/// Why: TorchSharp turns a number argument (<c>a + b</c> is <c>a.add(b, alpha: 1)</c>, <c>x.lt(0.5)</c>, SGD's
/// <c>param.add_(grad, alpha: -lr)</c>) into a temporary <see cref="Scalar"/> whose only reference is the argument; once its
/// native handle is read, nothing keeps it alive. A garbage collection started by another thread (the test host, a progress
/// renderer, a cluster worker) during the native call lets the finalizer free the scalar while libtorch still reads it: the
/// op then uses whatever the freed memory holds — a NaN or a huge step size (training "diverged at step 2"), or a libtorch
/// type error. Scalars that stay reachable for the whole process cannot be freed under a running op.
/// </para>
/// </summary>
public static class LiveScalars
{
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary><paramref name="a"/> + <paramref name="b"/> without a temporary scalar.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);
}
