using NasSharp.Proxies.Harness;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// grasp: Σ −θ ⊙ (H g) with g = ∂L/∂θ (detached) and H g from a double-backward of ⟨g, ∂L/∂θ⟩ (T = 1, one iteration).
/// The minus sign is the reference's; larger is better. Runs its own pass (second-order autograd) on a fresh copy:
/// one forward, one backward with a graph (g and ∂L/∂θ at once), one double backward.
/// </summary>
public sealed class GraspProxy : TorchProxy
{
    public override string Name => "grasp";
    public override string Description => "Σ −θ ⊙ (Hessian·gradient) over Conv2d/Linear weights (GraSP, signed)";

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        using var net = session.NewCopy(batchNorm: true);
        var weights = WeightLayers.Of(net).Select(l => l.Weight).ToList();
        using var scope = NewDisposeScope();
        var x = session.Batch.Inputs;
        var y = session.Batch.Labels;
        // One forward serves both: the reference's first pass (g, no graph) and its second pass (∂L/∂θ with a graph)
        // compute the same gradient of the same train-mode network on the same batch, so g = detached ∂L/∂θ here.
        var gradF = autograd.grad([nn.functional.cross_entropy(net.call(x), y)], weights, retain_graph: true, create_graph: true, allow_unused: true);
        var g = gradF.Select(t => WeightLayers.IsDefined(t) ? t.detach() : null).ToList();
        Tensor? z = null;
        for (int i = 0; i < weights.Count; i++)
        {
            if (g[i] is null || !WeightLayers.IsDefined(gradF[i])) continue;
            var term = (g[i]! * gradF[i]).sum();
            z = z is null ? term : z + term;
        }
        if (z is null || !z.requires_grad) return 0; // no layer reaches the loss
        z.backward();
        double score = 0;
        foreach (var w in weights)
        {
            var hg = w.grad;
            if (WeightLayers.IsDefined(hg)) score -= (w.detach().to(float64) * hg!.to(float64)).sum().item<double>();
        }
        return score;
    }
}
