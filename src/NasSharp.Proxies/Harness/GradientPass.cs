using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>
/// One cross-entropy forward/backward of a fresh train-mode copy on the batch. Keeps, per Conv2d/Linear layer, the
/// weight θ, its gradient g (null when the layer got none: it contributes 0) and the Fisher channel sum — what
/// grad_norm, snip, plain and fisher read. ZiCo asks for a second backward on the second batch (same initial weights).
/// All kept tensors are float64 copies.
/// </summary>
public sealed class GradientPass : IDisposable
{
    public sealed record Layer(Tensor Weight, Tensor? Grad, double Fisher)
    {
        public Tensor? SecondGrad { get; set; }
    }

    public IReadOnlyList<Layer> Layers { get; }
    public bool HasSecondBatch { get; private set; }

    private GradientPass(IReadOnlyList<Layer> layers) => Layers = layers;

    internal static GradientPass Run(ProxySession session)
    {
        using var net = session.NewCopy(batchNorm: true);
        var layers = WeightLayers.Of(net);
        var outputs = new Tensor?[layers.Count];
        var hooks = layers.Select((l, i) => ((nn.Module<Tensor, Tensor>)l.Module).register_forward_hook((_, _, output) =>
        {
            // The layer's output a and, after backward, δ = ∂L/∂a (the reference's identity "dummy" after each layer).
            // Downstream gets a view: TorchSharp's Sequential disposes the tensors it passes along, the view included,
            // so the handle kept here stays valid until the pass's dispose scope ends.
            if (!output.requires_grad) return output;
            output.retain_grad();
            outputs[i] = output;
            return output.alias();
        })).ToList();
        var result = new List<Layer>(layers.Count);
        using (var scope = NewDisposeScope())
        {
            var logits = net.call(session.Batch.Inputs);
            var loss = nn.functional.cross_entropy(logits, session.Batch.Labels);
            loss.backward();
            for (int i = 0; i < layers.Count; i++)
            {
                var w = layers[i].Weight;
                var g = w.grad;
                result.Add(new Layer(
                    w.detach().to(float64).DetachFromDisposeScope(),
                    WeightLayers.IsDefined(g) ? g!.detach().to(float64).DetachFromDisposeScope() : null,
                    FisherOf(outputs[i], w)));
            }
        }
        foreach (var h in hooks) h.remove();
        return new GradientPass(result);
    }

    /// <summary>Σ_c ½·mean_n(Σ_hw a·δ)² · fan-in, |·| (docs/methods/zero-cost-proxies.md §2.4; the per-channel value is
    /// broadcast to every weight of its output channel before the sum, hence the fan-in factor).</summary>
    private static double FisherOf(Tensor? output, Tensor weight)
    {
        if (output is null) return 0;
        var delta = output.grad;
        if (!WeightLayers.IsDefined(delta)) return 0;
        var a = output.detach().to(float64);
        var d = delta!.to(float64);
        var s = a.dim() == 4 ? (a * d).sum([2, 3]) : (a * d).reshape(a.shape[0], -1);
        var perChannel = (s.pow(2).mean([0]) * 0.5).abs();
        double fanIn = weight.numel() / (double)weight.shape[0];
        return perChannel.sum().item<double>() * fanIn;
    }

    internal void EnsureSecondBatch(ProxySession session)
    {
        if (HasSecondBatch) return;
        using var net = session.NewCopy(batchNorm: true);
        var layers = WeightLayers.Of(net);
        using (var scope = NewDisposeScope())
        {
            var loss = nn.functional.cross_entropy(net.call(session.Batch.SecondInputs), session.Batch.SecondLabels);
            loss.backward();
            for (int i = 0; i < layers.Count; i++)
            {
                var g = layers[i].Weight.grad;
                Layers[i].SecondGrad = WeightLayers.IsDefined(g) ? g!.detach().to(float64).DetachFromDisposeScope() : null;
            }
        }
        HasSecondBatch = true;
    }

    public void Dispose()
    {
        foreach (var l in Layers) { l.Weight.Dispose(); l.Grad?.Dispose(); l.SecondGrad?.Dispose(); }
    }
}
