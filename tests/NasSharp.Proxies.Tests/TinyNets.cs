using NasSharp.Proxies.Harness;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Proxies.Tests;

/// <summary>Tiny networks with hand-set weights and the plain-array math the tests check proxies against.</summary>
internal static class TinyNets
{
    /// <summary>x: N×D inputs (as N×D×1×1 images) and their labels.</summary>
    public static readonly double[][] X = [[1.0, -2.0, 0.5], [0.3, 0.8, -1.2], [-0.7, 0.1, 2.0], [1.5, 0.4, -0.3]];
    public static readonly long[] Y = [0, 1, 1, 0];
    public static readonly double[][] X2 = [[0.2, 1.1, -0.4], [-1.3, 0.6, 0.9], [0.8, -0.5, 0.1], [0.0, 1.7, -0.8]];
    public static readonly long[] Y2 = [1, 0, 1, 1];
    /// <summary>2×3 weight of the one-layer linear classifier.</summary>
    public static readonly double[][] W = [[0.5, -0.3, 0.8], [-0.2, 0.7, 0.1]];

    public static Tensor Images(double[][] x) =>
        tensor(x.SelectMany(r => r).Select(v => (float)v).ToArray(), [x.Length, x[0].Length, 1, 1]);

    public static void Set(Tensor t, double[][] values)
    {
        using var _ = no_grad();
        t.copy_(tensor(values.SelectMany(r => r).Select(v => (float)v).ToArray(), [values.Length, values[0].Length]));
    }

    /// <summary>Flatten → Linear(3→2, no bias) with weight <see cref="W"/>.</summary>
    public static Module<Tensor, Tensor> LinearClassifier()
    {
        var lin = Linear(3, 2, hasBias: false);
        Set(lin.weight!, W);
        return Sequential(("flatten", Flatten()), ("fc", lin));
    }

    public static ProxySession Session(Func<bool, Module<Tensor, Tensor>> build, int classes = 2) =>
        new(build, ProxyData.FromTensors(Images(X), tensor(Y), classes, Images(X2), tensor(Y2)), seed: 0, ownsBatch: true);

    // ---------- independent math on arrays ----------

    public static double[] Softmax(double[] z)
    {
        double m = z.Max();
        var e = z.Select(v => Math.Exp(v - m)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    public static double[] Logits(double[][] w, double[] x) => w.Select(row => row.Zip(x, (a, b) => a * b).Sum()).ToArray();

    /// <summary>∂(mean CE)/∂W = (1/N) Σ_n (softmax(W x_n) − onehot(y_n)) x_nᵀ.</summary>
    public static double[][] CeGradient(double[][] w, double[][] x, long[] y)
    {
        var g = w.Select(r => new double[r.Length]).ToArray();
        for (int n = 0; n < x.Length; n++)
        {
            var p = Softmax(Logits(w, x[n]));
            for (int c = 0; c < w.Length; c++)
            for (int i = 0; i < x[n].Length; i++)
                g[c][i] += (p[c] - (y[n] == c ? 1 : 0)) * x[n][i] / x.Length;
        }
        return g;
    }

    public static double Sum(double[][] a, double[][] b, Func<double, double, double> f) =>
        a.Zip(b, (ra, rb) => ra.Zip(rb, f).Sum()).Sum();
}
