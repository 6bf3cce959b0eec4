using NasSharp.Ranking;

namespace NasSharp.Proxies.Evaluation;

/// <summary>Rank correlations on the rows where both values are known (NaN = missing; ±Inf rank as extremes).</summary>
public static class ProxyCorrelation
{
    public static (double Spearman, double Kendall, int N) Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var keep = Enumerable.Range(0, x.Count).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
        if (keep.Length < 3) return (double.NaN, double.NaN, keep.Length);
        var a = keep.Select(i => x[i]).ToArray();
        var b = keep.Select(i => y[i]).ToArray();
        return (RankCorrelation.SpearmanRho(a, b), RankCorrelation.KendallTauB(a, b), keep.Length);
    }
}
