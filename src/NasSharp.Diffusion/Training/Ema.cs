using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Training;

/// <summary>
/// Exponential moving average of a module's parameters with Score-SDE's warm-up: decay_n = min(decay, (1+n)/(10+n)).
/// Sampling uses the averaged weights (<see cref="CopyTo"/>).
/// </summary>
internal sealed class Ema : IDisposable
{
    private readonly Tensor[] shadow;
    private readonly double decay;
    private long updates;

    public Ema(nn.Module module, double decay)
    {
        if (decay is < 0 or >= 1 || double.IsNaN(decay)) throw new NasInputException($"EMA decay must be in [0, 1), got {decay}.");
        this.decay = decay;
        using var noGrad = no_grad();
        shadow = module.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    public void Update(nn.Module module)
    {
        double d = Math.Min(decay, (1.0 + updates) / (10.0 + updates));
        updates++;
        using var noGrad = no_grad();
        int i = 0;
        foreach (var p in module.parameters()) shadow[i++].mul_(d).add_(p.detach(), alpha: 1 - d);
    }

    public void CopyTo(nn.Module module)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach (var p in module.parameters()) p.copy_(shadow[i++]);
    }

    public void Dispose()
    {
        foreach (var t in shadow) t.Dispose();
    }
}
