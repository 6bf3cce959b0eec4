using NasSharp.Ranking;

namespace NasSharp.Core.Tests;

public class RankCorrelationTests
{
    [Fact]
    public void KendallTauBWithTiesMatchesHandCount()
    {
        // pairs: C=5, D=0, one x-tie  => 5 / sqrt(5*6)
        Assert.Equal(5 / Math.Sqrt(30), RankCorrelation.KendallTauB([1, 2, 2, 3], [1, 3, 2, 4]), 12);
        // C=6, D=1, one x-tie, two y-ties => 5 / sqrt(9*8)
        Assert.Equal(5 / Math.Sqrt(72), RankCorrelation.KendallTauB([1, 1, 2, 3, 4], [2, 1, 1, 3, 3]), 12);
        Assert.Equal(-1, RankCorrelation.KendallTauB([1, 2, 3], [3, 2, 1]), 12);
    }

    [Fact]
    public void SpearmanUsesAverageRanksForTies()
    {
        // ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4] => 4.5 / sqrt(4.5*5)
        Assert.Equal(4.5 / Math.Sqrt(22.5), RankCorrelation.SpearmanRho([1, 2, 2, 3], [1, 3, 2, 4]), 12);
        Assert.Equal([1, 2.5, 2.5, 4], RankCorrelation.AverageRanks([10, 20, 20, 30]));
    }

    [Fact]
    public void KendallAgreesWithQuadraticDefinitionOnRandomTiedData()
    {
        var rng = new Random(1);
        for (int t = 0; t < 20; t++)
        {
            int n = 2 + rng.Next(60);
            var x = Enumerable.Range(0, n).Select(_ => (double)rng.Next(8)).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(8)).ToArray();
            if (x.Distinct().Count() < 2 || y.Distinct().Count() < 2) continue;
            double c = 0, d = 0, tx = 0, ty = 0, total = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                {
                    total++;
                    double s = Math.Sign(x[i] - x[j]) * Math.Sign(y[i] - y[j]);
                    if (s > 0) c++; else if (s < 0) d++;
                    if (x[i] == x[j]) tx++;
                    if (y[i] == y[j]) ty++;
                }
            double expected = (c - d) / Math.Sqrt((total - tx) * (total - ty));
            Assert.Equal(expected, RankCorrelation.KendallTauB(x, y), 10);
        }
    }

    [Fact]
    public void TopKPrecisionAndRegret()
    {
        double[] predicted = [0.9, 0.1, 0.8, 0.3], truth = [10, 20, 30, 5];
        Assert.Equal(0.5, RankCorrelation.TopKPrecision(predicted, truth, 2));
        Assert.Equal(1.0, RankCorrelation.TopKPrecision(truth, truth, 3));
        Assert.Equal(20, RankCorrelation.Regret(predicted, truth));
        Assert.Equal(0, RankCorrelation.Regret(truth, truth));
    }

    [Fact]
    public void NaNScoresAreRejected() =>
        Assert.Throws<ArgumentException>(() => RankCorrelation.SpearmanRho([1, double.NaN], [1, 2]));
}
