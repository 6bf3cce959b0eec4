namespace NasSharp.Ranking;

/// <summary>
/// Rank statistics used to judge proxies and predictors against benchmark tables. Ties are handled as scipy does:
/// Kendall tau-b (O(n log n), Knight's algorithm) and Spearman rho as the Pearson correlation of average ranks.
/// NaN inputs are rejected: a score that is not a number must be dealt with by the caller, not silently ranked.
/// </summary>
public static class RankCorrelation
{
    public static double KendallTauB(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        int n = x.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var xs = x.ToArray(); var ys = y.ToArray();
        Array.Sort(order, (a, b) => xs[a] != xs[b] ? xs[a].CompareTo(xs[b]) : ys[a].CompareTo(ys[b]));

        long n0 = (long)n * (n - 1) / 2;
        long tiesX = 0, tiesXY = 0, run = 1, runXY = 1;
        for (int i = 1; i < n; i++)
        {
            bool sameX = xs[order[i]] == xs[order[i - 1]];
            bool sameXY = sameX && ys[order[i]] == ys[order[i - 1]];
            if (sameX) run++; else { tiesX += run * (run - 1) / 2; run = 1; }
            if (sameXY) runXY++; else { tiesXY += runXY * (runXY - 1) / 2; runXY = 1; }
        }
        tiesX += run * (run - 1) / 2; tiesXY += runXY * (runXY - 1) / 2;

        // Count discordant pairs as the swaps a stable merge sort by y needs (within x-ties, y is already sorted).
        var yOrder = order.Select(i => ys[i]).ToArray();
        long swaps = MergeSortCountSwaps(yOrder, new double[n], 0, n);

        long tiesY = 0; run = 1;
        for (int i = 1; i < n; i++)
        {
            if (yOrder[i] == yOrder[i - 1]) run++; else { tiesY += run * (run - 1) / 2; run = 1; }
        }
        tiesY += run * (run - 1) / 2;

        double concordantMinusDiscordant = n0 - tiesX - tiesY + tiesXY - 2.0 * swaps;
        double denom = Math.Sqrt((double)(n0 - tiesX) * (n0 - tiesY));
        return denom == 0 ? double.NaN : concordantMinusDiscordant / denom;
    }

    private static long MergeSortCountSwaps(double[] a, double[] buffer, int lo, int hi)
    {
        if (hi - lo < 2) return 0;
        int mid = (lo + hi) / 2;
        long swaps = MergeSortCountSwaps(a, buffer, lo, mid) + MergeSortCountSwaps(a, buffer, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi)
        {
            if (a[j] < a[i]) { buffer[k++] = a[j++]; swaps += mid - i; }
            else buffer[k++] = a[i++];
        }
        while (i < mid) buffer[k++] = a[i++];
        while (j < hi) buffer[k++] = a[j++];
        Array.Copy(buffer, lo, a, lo, hi - lo);
        return swaps;
    }

    public static double SpearmanRho(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>Ranks 1..n; tied values share the average of their ranks.</summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var v = values.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => v[a].CompareTo(v[b]));
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length; my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// Fraction of the true top-k (by <paramref name="truth"/>) that also appears in the predicted top-k (by
    /// <paramref name="predicted"/>); k = ceil(fraction·n) when given as a fraction. Ties at the cut go to the lower index.
    /// </summary>
    public static double TopKPrecision(ReadOnlySpan<double> predicted, ReadOnlySpan<double> truth, int k)
    {
        Check(predicted, truth);
        if (k < 1 || k > predicted.Length) throw new ArgumentOutOfRangeException(nameof(k), $"k={k} must be in 1..{predicted.Length}");
        var top = TopIndices(predicted, k);
        var trueTop = TopIndices(truth, k).ToHashSet();
        return top.Count(trueTop.Contains) / (double)k;
    }

    /// <summary>Regret of choosing the best-predicted item: best true value minus the true value of the predicted best (≥ 0).</summary>
    public static double Regret(ReadOnlySpan<double> predicted, ReadOnlySpan<double> truth)
    {
        Check(predicted, truth);
        int chosen = TopIndices(predicted, 1)[0];
        double best = double.MinValue;
        foreach (var t in truth) best = Math.Max(best, t);
        return best - truth[chosen];
    }

    public static int[] TopIndices(ReadOnlySpan<double> values, int k)
    {
        var v = values.ToArray();
        var order = Enumerable.Range(0, v.Length).ToArray();
        Array.Sort(order, (a, b) => v[a] != v[b] ? v[b].CompareTo(v[a]) : a.CompareTo(b));
        return order[..k];
    }

    private static void Check(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: {x.Length} vs {y.Length}.");
        if (x.Length < 2) throw new ArgumentException("At least two values are needed.");
        foreach (var v in x) if (double.IsNaN(v)) throw new ArgumentException("NaN in the first series; drop or replace it before ranking.");
        foreach (var v in y) if (double.IsNaN(v)) throw new ArgumentException("NaN in the second series; drop or replace it before ranking.");
    }
}
