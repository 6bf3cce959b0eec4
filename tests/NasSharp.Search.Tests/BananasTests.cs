using NasSharp.Search.Strategies.Bananas;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Search.Tests;

public class BananasTests
{
    [Fact]
    public void PathEncoding_Nb201_MatchesHandCount()
    {
        // All five edges conv3x3 except 1->2 = none: paths 0-3, 0-1-3, 0-2-3 (0-1-2-3 is cut) → op strings {c, c>c}.
        var arch = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        var f = ArchitectureEncoding.PathFeatures(arch).Order().ToList();
        Assert.Equal(["p:nor_conv_3x3", "p:nor_conv_3x3>nor_conv_3x3"], f);
        // Mixed ops: 0-3 avg, 0-1 skip, 1-3 conv1x1, 0-2 none, 1-2 conv3x3, 2-3 none → paths 0-3 and 0-1-3 (0-1-2-3 ends in none).
        var mixed = Nb201Space.Instance.Parse("|skip_connect~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|");
        Assert.Equal(["p:avg_pool_3x3", "p:skip_connect>nor_conv_1x1"], ArchitectureEncoding.PathFeatures(mixed).Order().ToList());
        // Every edge none: no path at all.
        Assert.Empty(ArchitectureEncoding.PathFeatures(Nb201Space.FromOpIndices([0, 0, 0, 0, 0, 0])));
    }

    [Fact]
    public void AdjacencyEncoding_HasOneFeaturePerEdge()
    {
        var arch = Nb201Space.FromOpIndices([1, 2, 3, 4, 0, 1]);
        var f = ArchitectureEncoding.AdjacencyFeatures(arch).ToList();
        Assert.Equal(6, f.Count);
        Assert.Contains("e0>1:skip_connect", f);
        Assert.Contains("e1>3:none", f);
    }

    [Fact]
    public void Ensemble_FitsALinearFunction_AndIsUncertainFarFromData()
    {
        var rng = new Random(0);
        var xs = new List<double[]>();
        var ys = new List<double>();
        for (int i = 0; i < 60; i++)
        {
            var x = Enumerable.Range(0, 8).Select(_ => (double)rng.Next(2)).ToArray();
            xs.Add(x);
            ys.Add(90 + 2 * x[0] - 1.5 * x[3] + x[5]);
        }
        var ens = new MlpEnsemble(xs, ys, new MlpEnsembleOptions(Members: 3), new Random(1));
        double sse = 0, sst = 0, mean = ys.Average();
        for (int i = 0; i < xs.Count; i++)
        {
            var p = ens.Predict(xs[i]);
            sse += (p.Mean - ys[i]) * (p.Mean - ys[i]);
            sst += (ys[i] - mean) * (ys[i] - mean);
        }
        Assert.True(1 - sse / sst > 0.95, $"R² = {1 - sse / sst}");
        Assert.True(ens.Predict(Enumerable.Repeat(0.0, 8).ToArray()).Std >= 0);
    }

    [Fact]
    public void Bananas_FitsOncePerBatch()
    {
        var s = new Bananas(Nb201Space.Instance, 0, new BananasOptions(InitialSamples: 10, BatchSize: 10, Ensemble: new MlpEnsembleOptions(Epochs: 20)));
        var eval = new SeparableObjective();
        for (int i = 0; i < 35; i++)
        {
            var a = s.Ask();
            s.Tell(a, eval.EvaluateAsync(a).Result);
        }
        Assert.Equal(3, s.Fits); // queries 11, 21, 31 start a batch
    }
}
