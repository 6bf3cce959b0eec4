using NasSharp.Diffusion.Model;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Tests;

public class SdeTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.7)]
    [InlineData(1.0)]
    public void MarginalStdMatchesClosedForm(double t)
    {
        var sde = new VeSde(0.1, 5.0);
        double closed = 0.1 * Math.Pow(50, t);
        Assert.Equal(closed, sde.MarginalStd(t), 12);
        // Integral of g² from the spec's g(t) = σ(t)·sqrt(2 ln(σmax/σmin)), plus σ_min², equals σ(t)².
        int n = 20000;
        double integral = 0;
        for (int i = 0; i < n; i++) { double s = (i + 0.5) * t / n; integral += Math.Pow(sde.Diffusion(s), 2) * t / n; }
        Assert.Equal(closed * closed, integral + 0.01, 3);
        // Empirical std of x_t − x_0 from the perturbation kernel, within 2 %.
        random.manual_seed(7);
        using var scope = NewDisposeScope();
        var x0 = zeros(20000, 8, 7);
        var (xt, _, _) = sde.Perturb(x0, full(20000, t, dtype: ScalarType.Float32));
        double std = (xt - x0).std().item<float>();
        Assert.InRange(std / closed, 0.98, 1.02);
    }

    [Fact]
    public void RejectsBadSchedule()
    {
        Assert.Throws<NasInputException>(() => new VeSde(0.1, 0.05).Validate());
        Assert.Throws<NasInputException>(() => new VeSde(double.NaN, 5).Validate());
    }
}
