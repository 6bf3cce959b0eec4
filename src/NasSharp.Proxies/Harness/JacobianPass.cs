using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>
/// One forward of a fresh train-mode copy on the batch with the inputs requiring grad, then backward of Σ logits:
/// the input Jacobian rows J (N×D, float64; jacov and epe_nas) — zeros when the logits do not depend on the input.
/// During the same forward every ReLU's input is hooked and the NASWOT kernel K = Σ_relu c·cᵀ + (1−c)(1−c)ᵀ of the
/// binary codes c = 1[input &gt; 0] is accumulated in float64 (nwot). Sharing the forward is exact: train-mode BN uses
/// batch statistics, so the outputs are those of a separate copy.
/// </summary>
public sealed class JacobianPass : IDisposable
{
    public Tensor Jacobian { get; }
    public Tensor NaswotKernel { get; }
    /// <summary>True when the input got no (or an all-zero) gradient: the output is independent of the input.</summary>
    public bool InputIndependent { get; }
    public int ReluCount { get; }

    private JacobianPass(Tensor j, Tensor k, bool independent, int relus)
    {
        Jacobian = j; NaswotKernel = k; InputIndependent = independent; ReluCount = relus;
    }

    internal static JacobianPass Run(ProxySession session)
    {
        using var net = session.NewCopy(batchNorm: true);
        long n = session.Batch.Inputs.shape[0];
        var kernel = zeros([n, n], float64);
        int relus = 0;
        var hooks = net.modules().OfType<ReLU>().Select(r => r.register_forward_pre_hook((_, input) =>
        {
            using var s = NewDisposeScope();
            var c = input.detach().reshape(n, -1).gt(0).to(float32);
            var k = c.matmul(c.T) + (1 - c).matmul((1 - c).T); // exact: counts ≤ 2^24 per ReLU
            kernel.add_(k.to(float64));
            relus++;
            return input;
        })).ToList();
        Tensor jac;
        bool independent;
        using (var scope = NewDisposeScope())
        {
            var x = session.Batch.Inputs.detach().clone().requires_grad_(true);
            var y = net.call(x);
            // Gradient to the input only: a full backward would also compute every weight gradient, which nothing reads.
            var g = y.requires_grad ? autograd.grad([y], [x], [ones_like(y)], allow_unused: true)[0] : null;
            independent = !WeightLayers.IsDefined(g) || g!.abs().max().item<float>() == 0;
            jac = (independent ? zeros([n, x.numel() / n], float64) : g!.detach().reshape(n, -1).to(float64)).DetachFromDisposeScope();
        }
        foreach (var h in hooks) h.remove();
        return new JacobianPass(jac, kernel, independent, relus);
    }

    public void Dispose()
    {
        Jacobian.Dispose();
        NaswotKernel.Dispose();
    }
}
