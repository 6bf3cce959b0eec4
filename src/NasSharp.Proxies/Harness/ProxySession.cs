using NasSharp.Spaces;
using NasSharp.Torch.Networks;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>
/// Everything the proxies of one architecture share: the seeded network, the data batch, and the passes several
/// proxies need (one CE forward/backward for grad_norm/snip/plain/fisher/zico; one Jacobian forward/backward for
/// jacov/epe_nas/nwot). Each pass runs at most once, on a fresh copy of the network, when the first proxy asks for it.
/// <para>
/// "Copy" = the network rebuilt from the same seed, which gives bit-identical initial weights (the factory draws from
/// torch's global generator in a fixed order; BatchNorm init draws nothing, so the BN-free copy has the same weights too).
/// So every proxy sees an untouched network, exactly as the reference code's deep copies.
/// </para>
/// </summary>
public sealed class ProxySession : IDisposable
{
    // torch's global generator is process-wide: seeding and building must not interleave between threads.
    private static readonly object BuildLock = new();
    private readonly Func<bool, nn.Module<Tensor, Tensor>> build;
    private readonly int seed;
    private nn.Module<Tensor, Tensor>? original;
    private GradientPass? gradients;
    private JacobianPass? jacobian;
    private readonly bool ownsBatch;

    /// <param name="build">Builds the network; the argument says whether BatchNorm layers are kept (false = identity).</param>
    public ProxySession(Func<bool, nn.Module<Tensor, Tensor>> build, ProxyBatch batch, int seed, bool ownsBatch = false)
    {
        this.build = build;
        Batch = batch;
        this.seed = seed;
        this.ownsBatch = ownsBatch;
    }

    /// <summary>Session for a benchmark architecture: its published network (NetworkFactory) and the context's batch.</summary>
    public static ProxySession ForArchitecture(Architecture arch, ProxyContext context, ProxyBatch? batch = null)
    {
        int classes = ProxyData.ClassesOf(context.Dataset);
        var own = batch is null;
        batch ??= ProxyData.Create(context.Dataset, context.BatchSize, context.Seed, context.DataDirectory);
        return new ProxySession(bn => NetworkFactory.Create(arch, new NetworkOptions { NumClasses = classes, BatchNorm = bn }),
                                batch, context.Seed, own);
    }

    public ProxyBatch Batch { get; }
    public int Seed => seed;

    /// <summary>The network as built (train mode). Proxies that only read weights (l2_norm, params, flops) use it; never modify it.</summary>
    public nn.Module<Tensor, Tensor> Original => original ??= NewCopy(batchNorm: true);

    /// <summary>
    /// A fresh copy with the same initial weights, owned by the caller (dispose it). With <paramref name="dtype"/> float64
    /// the network is built in double and the float32 initial values are copied in (synflow's double-precision copy;
    /// TorchSharp's Module.to(dtype) cannot convert every module type).
    /// </summary>
    public nn.Module<Tensor, Tensor> NewCopy(bool batchNorm, ScalarType dtype = ScalarType.Float32)
    {
        lock (BuildLock)
        {
            manual_seed(seed);
            var net = build(batchNorm);
            if (dtype != ScalarType.Float32)
            {
                var previous = get_default_dtype();
                nn.Module<Tensor, Tensor> wide;
                set_default_dtype(dtype);
                try { wide = build(batchNorm); }
                finally { set_default_dtype(previous); }
                using (no_grad())
                {
                    foreach (var (to, from) in wide.parameters().Zip(net.parameters())) to.copy_(from);
                    foreach (var (to, from) in wide.buffers().Zip(net.buffers())) to.copy_(from);
                }
                net.Dispose();
                net = wide;
            }
            net.train();
            return net;
        }
    }

    /// <summary>Cross-entropy forward/backward on the batch (and, if asked, on the second batch for ZiCo).</summary>
    public GradientPass Gradients(bool needSecondBatch = false)
    {
        gradients ??= GradientPass.Run(this);
        if (needSecondBatch) gradients.EnsureSecondBatch(this);
        return gradients;
    }

    /// <summary>Forward of the batch with ReLU codes recorded, then backward of Σ logits to the inputs.</summary>
    public JacobianPass Jacobian => jacobian ??= JacobianPass.Run(this);

    public void Dispose()
    {
        original?.Dispose();
        gradients?.Dispose();
        jacobian?.Dispose();
        if (ownsBatch) Batch.Dispose();
    }
}
