using NasSharp.Proxies.Harness;
using NasSharp.Proxies.Measures;
using static NasSharp.Proxies.Tests.TinyNets;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Proxies.Tests;

/// <summary>Scalar proxies (synflow, jacov, epe_nas, nwot, zen, meco) against closed forms on tiny networks.</summary>
public class ScalarProxyTests
{
    private static readonly double[][] W1 = [[0.5, -1.0, 2.0], [-0.3, 0.4, 0.1], [1.2, 0.0, -0.7], [0.2, -0.6, 0.9]];
    private static readonly double[][] W2 = [[1.0, -2.0, 0.5, 0.3], [-0.4, 0.8, -1.5, 2.0]];

    private static Module<Tensor, Tensor> TwoLayerLinear(bool relu = false)
    {
        var l1 = Linear(3, 4, hasBias: false);
        var l2 = Linear(4, 2, hasBias: false);
        Set(l1.weight!, W1);
        Set(l2.weight!, W2);
        return relu
            ? Sequential(("flatten", Flatten()), ("l1", l1), ("relu", ReLU()), ("l2", l2))
            : Sequential(("flatten", Flatten()), ("l1", l1), ("l2", l2));
    }

    [Fact]
    public void SynflowOfALinearNetIsTwiceTheAbsolutePathSum()
    {
        // R = Σ_k Σ_j |W2_kj| Σ_i |W1_ji| (all-ones input); each layer's Σ|θ·∂R/∂θ| equals R, so the score is 2R.
        double r = 0;
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 4; j++) r += Math.Abs(W2[k][j]) * W1[j].Sum(Math.Abs);
        using var s = Session(_ => TwoLayerLinear(relu: true));
        Assert.Equal(2 * r, new SynflowProxy().Score(s).Value, 5); // weights were set in float32
    }

    [Fact]
    public void JacovOfALinearNetHasIdenticalJacobianRows()
    {
        // J_n = column sums of W2·W1 for every image: the correlation matrix is all ones, eigenvalues N, 0, …, 0.
        const double k = 1e-5;
        int n = X.Length;
        double expected = -(Math.Log(n + k) + 1 / (n + k) + (n - 1) * (Math.Log(k) + 1 / k));
        using var s = Session(_ => TwoLayerLinear());
        Assert.Equal(expected, new JacovProxy().Score(s).Value, 3);
    }

    [Fact]
    public void EpeNasOfALinearNetSumsLogOfUnitCorrelationsPerClass()
    {
        // Labels 0,1,1,0: two classes of 2 rows; every correlation is 1, so s_c = 4·ln(1 + 1e−5).
        using var s = Session(_ => TwoLayerLinear());
        Assert.Equal(2 * 4 * Math.Log(1 + 1e-5), new EpeNasProxy().Score(s).Value, 9);
    }

    [Fact]
    public void NaswotIsLogDetOfTheHandComputedCodeKernel()
    {
        // One ReLU after l1: codes c_n = 1[W1 x_n > 0]; K_nm = number of units where the codes agree.
        var codes = X.Select(x => Logits(W1, x).Select(v => v > 0 ? 1 : 0).ToArray()).ToArray();
        int n = codes.Length;
        var k = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                k[a, b] = codes[a].Zip(codes[b], (u, v) => u == v ? 1 : 0).Sum();
        double det = Determinant(k);
        Assert.NotEqual(0, det);
        using var s = Session(_ => TwoLayerLinear(relu: true));
        Assert.Equal(Math.Log(Math.Abs(det)), new NaswotProxy().Score(s).Value, 9);
    }

    [Fact]
    public void ZenOfAFlatLinearNetIsLogMeanAbsoluteNoiseResponse()
    {
        // f(x) − f(x + γε) = −γ W ε for a linear map, so Δ = γ · mean_n Σ_k |(W ε_n)_k|. No BN: no extra term.
        using var s = Session(_ => Sequential(("flatten", Flatten()), ("fc", Linear(3, 2, hasBias: true))));
        double zen = new ZenProxy().Score(s).Value;
        // Same draws as the proxy: weight N(0,1), then x, then ε from a generator seeded with the session seed.
        var gen = new Generator().manual_seed(0);
        var w = empty(2, 3).normal_(0, 1, gen);
        randn([4, 3, 1, 1], generator: gen);
        var eps = randn([4, 3, 1, 1], generator: gen).reshape(4, 3);
        var wa = w.data<float>().ToArray();
        var ea = eps.data<float>().ToArray();
        double delta = 0;
        for (int i = 0; i < 4; i++)
            for (int c = 0; c < 2; c++)
                delta += Math.Abs(Enumerable.Range(0, 3).Sum(j => (double)wa[c * 3 + j] * ea[i * 3 + j])) * 1e-2 / 4;
        Assert.Equal(Math.Log(delta), zen, 3);
    }

    [Fact]
    public void MecoOfReluOfOppositeChannelsMatchesTheGaussianCorrelation()
    {
        // Conv 1×1 with weights +1 and −1: channels x and −x (corr −1, λmin 0). After ReLU: corr(relu(x), relu(−x))
        // = −1/(π−1) for Gaussian x, so λmin = 1 − 1/(π−1). The ReLU output is counted twice (ReLU and the Sequential).
        Module<Tensor, Tensor> Build(bool _)
        {
            var conv = Conv2d(1, 2, 1, bias: false);
            using (no_grad()) conv.weight!.copy_(tensor(new float[] { 1, -1 }, [2, 1, 1, 1]));
            return Sequential(("conv", conv), ("relu", ReLU()));
        }
        var batch = ProxyData.FromTensors(zeros([2, 1, 8, 8]), tensor(new long[] { 0, 1 }), 2);
        using var s = new ProxySession(Build, batch, seed: 3, ownsBatch: true);
        double expected = 2 * (1 - 1 / (Math.PI - 1));
        Assert.Equal(expected, new MecoProxy().Score(s).Value, 1);
    }

    private static double Determinant(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        double det = 1;
        for (int c = 0; c < n; c++)
        {
            int p = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(a[r, c]));
            if (a[p, c] == 0) return 0;
            if (p != c) { det = -det; for (int j = 0; j < n; j++) (a[c, j], a[p, j]) = (a[p, j], a[c, j]); }
            det *= a[c, c];
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int j = c; j < n; j++) a[r, j] -= f * a[c, j];
            }
        }
        return det;
    }
}
