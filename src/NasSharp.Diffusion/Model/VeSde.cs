using static TorchSharp.torch;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// The variance-exploding SDE of Score-SDE as DiffusionNAG uses it (spec §3): σ(t) = σ_min (σ_max/σ_min)^t, no drift,
/// g(t) = σ(t)·sqrt(2 ln(σ_max/σ_min)), x_t = x_0 + σ(t) z, prior N(0, σ_max² I). One schedule for the score model,
/// the predictor and the sampler (the released code mixes σ_max 5 and 20, spec §9 #3).
/// </summary>
public sealed record VeSde(double SigmaMin = 0.1, double SigmaMax = 5.0)
{
    /// <summary>Smallest training/sampling time (t ~ U(ε, 1)).</summary>
    public const double Epsilon = 1e-5;

    public void Validate()
    {
        if (!(SigmaMin > 0) || !(SigmaMax > SigmaMin) || !double.IsFinite(SigmaMax))
            throw new NasInputException($"VE-SDE needs 0 < sigma_min < sigma_max, got {SigmaMin} and {SigmaMax}.");
    }

    public double Sigma(double t) => SigmaMin * Math.Pow(SigmaMax / SigmaMin, t);

    /// <summary>σ(t) for a tensor of times.</summary>
    public Tensor Sigma(Tensor t) => SigmaMin * pow(SigmaMax / SigmaMin, t);

    /// <summary>Diffusion coefficient g(t) of dx = g(t) dw.</summary>
    public double Diffusion(double t) => Sigma(t) * Math.Sqrt(2 * Math.Log(SigmaMax / SigmaMin));

    /// <summary>Std of x_t given x_0 in closed form: sqrt(∫₀ᵗ g² ds + σ_min²) = σ(t).</summary>
    public double MarginalStd(double t) => Sigma(t);

    /// <summary>Draws x_t = x_0 + σ(t) z for a batch; returns (x_t, z, σ as [B]).</summary>
    public (Tensor Noisy, Tensor Noise, Tensor Sigma) Perturb(Tensor x0, Tensor t, Generator? gen = null)
    {
        var sigma = Sigma(t);
        var z = randn(x0.shape, generator: gen);
        var shape = new long[x0.dim()];
        Array.Fill(shape, 1L);
        shape[0] = x0.shape[0];
        return (x0 + sigma.view(shape) * z, z, sigma);
    }
}
