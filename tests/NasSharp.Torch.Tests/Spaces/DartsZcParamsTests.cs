using NasSharp.Ranking;
using NasSharp.Spaces.Darts;
using NasSharp.Torch.Networks;
using Xunit.Abstractions;

namespace NasSharp.Torch.Tests.Spaces;

public class DartsZcParamsTests(ITestOutputHelper output)
{
    /// <summary>
    /// Our DARTS network's parameter count over the 725 zc_nb301 genotypes ranks them as NASLib's own model's count does
    /// (different macro settings, so not equal values), and as a zero-cost proxy it correlates with NB301's surrogate accuracy
    /// about as NASLib's params column does (ρ 0.523 in the data README).
    /// </summary>
    [Fact, Trait("Category", "Slow")]
    public void ParamCounts_RankLikeNaslibs_AndCorrelateWithAccuracy()
    {
        var t = DartsZcTable.Load(TestData.Directory);
        var ours = t.Genotypes.Select(g =>
        {
            using var net = new DartsNetwork(g, new DartsNetworkOptions { InitChannels = 16, Layers = 8 });
            return (double)net.ParameterCount();
        }).ToArray();
        var naslib = t.Proxy("params").ToArray();
        double agree = RankCorrelation.SpearmanRho(ours, naslib);
        var (rho, tau) = t.Correlate(ours);
        output.WriteLine($"spearman(ours, naslib params) = {agree:F4}; vs surrogate accuracy: rho = {rho:F4}, tau = {tau:F4}");
        Assert.True(agree > 0.95, $"rank agreement with NASLib's params only {agree}");
        Assert.InRange(rho, 0.45, 0.60);
    }
}
