using NasSharp.Proxies.Measures;
using static NasSharp.Proxies.Tests.TinyNets;

namespace NasSharp.Proxies.Tests;

/// <summary>Gradient proxies on a one-layer linear classifier against the analytic cross-entropy gradient.</summary>
public class GradientProxyTests
{
    private static double Score(TorchProxy p)
    {
        using var s = Session(_ => LinearClassifier());
        var r = p.Score(s);
        Assert.Empty(r.Warnings);
        return r.Value;
    }

    [Fact]
    public void GradNormIsTheFrobeniusNormOfTheAnalyticGradient()
    {
        var g = CeGradient(W, X, Y);
        double expected = Math.Sqrt(Sum(g, g, (a, b) => a * b));
        Assert.Equal(expected, Score(new GradNormProxy()), 5);
    }

    [Fact]
    public void SnipAndPlainAreSumsOfWeightTimesGradient()
    {
        var g = CeGradient(W, X, Y);
        Assert.Equal(Sum(W, g, (w, d) => Math.Abs(w * d)), Score(new SnipProxy()), 5);
        Assert.Equal(Sum(W, g, (w, d) => w * d), Score(new PlainProxy()), 5);
    }

    [Fact]
    public void FisherIsHalfMeanSquaredActivationTimesGradientTimesFanIn()
    {
        // a = W x, δ = ∂L/∂a = (p − onehot)/N; F_c = ½ mean_n (a_nc δ_nc)²; score = Σ_c F_c · in_features.
        double total = 0;
        for (int c = 0; c < 2; c++)
        {
            double mean = 0;
            for (int n = 0; n < X.Length; n++)
            {
                var a = Logits(W, X[n]);
                var p = Softmax(a);
                double delta = (p[c] - (Y[n] == c ? 1 : 0)) / X.Length;
                mean += Math.Pow(a[c] * delta, 2) / X.Length;
            }
            total += 0.5 * mean * 3;
        }
        Assert.Equal(total, Score(new FisherProxy()), 8);
    }

    [Fact]
    public void GraspIsMinusWeightTimesHessianGradientProduct()
    {
        // H g for mean CE of softmax(W x): (Hg)[c,i] = (1/N) Σ_n x_i · [(diag(p) − p pᵀ)(G x_n)]_c.
        var g = CeGradient(W, X, Y);
        var hg = W.Select(r => new double[r.Length]).ToArray();
        for (int n = 0; n < X.Length; n++)
        {
            var p = Softmax(Logits(W, X[n]));
            var gx = Logits(g, X[n]);
            for (int c = 0; c < 2; c++)
            {
                double v = p[c] * gx[c] - p[c] * (p[0] * gx[0] + p[1] * gx[1]);
                for (int i = 0; i < 3; i++) hg[c][i] += X[n][i] * v / X.Length;
            }
        }
        Assert.Equal(-Sum(W, hg, (w, h) => w * h), Score(new GraspProxy()), 6);
    }

    [Fact]
    public void ZicoUsesMeanOverStdOfTheTwoBatchGradients()
    {
        var g1 = CeGradient(W, X, Y);
        var g2 = CeGradient(W, X2, Y2);
        // two samples: mean|g| = (|g1|+|g2|)/2, population σ = |g1−g2|/2
        double r = Sum(g1, g2, (a, b) => a == b ? 0 : (Math.Abs(a) + Math.Abs(b)) / Math.Abs(a - b));
        Assert.Equal(Math.Log(r), Score(new ZicoProxy()), 4);
    }

    [Fact]
    public void OneForwardBackwardServesAllGradientProxies()
    {
        using var s = Session(_ => LinearClassifier());
        var first = s.Gradients();
        new GradNormProxy().Score(s);
        new SnipProxy().Score(s);
        new FisherProxy().Score(s);
        Assert.Same(first, s.Gradients());
    }
}
