using NasSharp.Spaces.Darts;

namespace NasSharp.Core.Tests.Spaces;

public class DartsZcTableTests
{
    [Theory]
    // The data README's table (scipy 1.10.1 on the same 725 rows).
    [InlineData("nwot", 0.555, 0.391)]
    [InlineData("params", 0.523, 0.367)]
    [InlineData("synflow", 0.217, 0.146)]
    [InlineData("fisher", -0.303, -0.205)]
    public void ProxyCorrelations_MatchTheDataReadme(string proxy, double rho, double tau)
    {
        var t = DartsZcTable.Load(TestData.Directory);
        Assert.Equal(725, t.Count);
        var (s, k) = t.Correlate(t.Proxy(proxy));
        Assert.Equal(rho, s, 3);
        Assert.Equal(tau, k, 3);
    }

    [Fact]
    public void DartsV2Shape_GenotypesAreValidAndAccuracyInRange()
    {
        var t = DartsZcTable.Load(TestData.Directory);
        Assert.All(t.Genotypes, g => DartsSpace.Validate(g));
        Assert.Equal(91.24, t.ValAccuracy.Min(), 2);
        Assert.Equal(94.49, t.ValAccuracy.Max(), 2);
        Assert.Throws<NasInputException>(() => t.Correlate([1.0, 2.0]));
    }
}
