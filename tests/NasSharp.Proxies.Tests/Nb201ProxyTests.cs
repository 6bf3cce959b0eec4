using NasSharp.Torch.Data;
using NasSharp.Proxies.Harness;
using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Tests;

/// <summary>Proxies on the real NB201 network (small synthetic batch to stay fast).</summary>
public class Nb201ProxyTests
{
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private const string AllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

    private static ProxyContext Context => new() { Seed = 1, BatchSize = 4 };

    [Fact]
    public void ParamsAndFlopsOfTheBestArchitectureMatchTheClosedForm()
    {
        var arch = Nb201Space.Instance.Parse(Best);
        var scores = ProxyRunner.Score(arch, [ProxyRegistry.Get("params"), ProxyRegistry.Get("flops")], Context);
        Assert.Equal(1.073466, scores[0].Value, 9);             // 72,656 + 650 + 4·243,040 + 28,000
        Assert.Equal(153.272970, scores[1].Value, 6);           // 7,782,400 + 650 + 4·35,389,440 + 3,932,160
    }

    [Fact]
    public void TheBatchNormFreeCopyHasTheSameConvWeights()
    {
        var arch = Nb201Space.Instance.Parse(Best);
        using var s = ProxySession.ForArchitecture(arch, Context);
        using var withBn = s.NewCopy(true);
        using var noBn = s.NewCopy(false);
        var a = WeightLayers.Of(withBn);
        var b = WeightLayers.Of(noBn);
        Assert.Equal(a.Count, b.Count);
        Assert.All(a.Zip(b), p => Assert.True(p.First.Weight.equal(p.Second.Weight).all().item<bool>()));
        Assert.Empty(noBn.modules().OfType<BatchNorm2d>());
    }

    [Fact]
    public void AllProxiesGiveFiniteReproducibleScoresOnTheBestArchitecture()
    {
        var arch = Nb201Space.Instance.Parse(Best);
        var first = ProxyRunner.Score(arch, ProxyRegistry.All, Context);
        var again = ProxyRunner.Score(arch, [ProxyRegistry.Get("snip"), ProxyRegistry.Get("nwot")], Context);
        Assert.All(first, r => Assert.True(double.IsFinite(r.Value) && r.Value != TorchProxy.Fallback, $"{r.Proxy} = {r.Value}"));
        Assert.Equal(first.Single(r => r.Proxy == "snip").Value, again[0].Value, 10);
        Assert.Equal(first.Single(r => r.Proxy == "nwot").Value, again[1].Value, 10);
        Assert.True(first.Single(r => r.Proxy == "jacov").Value < 0);
    }

    [Fact]
    public void TheAllNoneCellHasZeroSynflowAndTheJacovSentinel()
    {
        var arch = Nb201Space.Instance.Parse(AllNone);
        var scores = ProxyRunner.Score(arch, [ProxyRegistry.Get("synflow"), ProxyRegistry.Get("jacov")], Context);
        Assert.Equal(0, scores[0].Value);
        Assert.Equal(TorchProxy.Fallback, scores[1].Value);
        Assert.NotEmpty(scores[1].Warnings);
    }

    [Fact]
    public void TheRealCifarBatchIsSeededAndHasTheRequestedShape()
    {
        using var a = ProxyData.Create("cifar10", 8, 5, TestData.Directory);
        using var b = ProxyData.Create("cifar10", 8, 5, TestData.Directory);
        using var c = ProxyData.Create("cifar10", 8, 6, TestData.Directory);
        Assert.Equal([8L, 3, 32, 32], a.Inputs.shape);
        Assert.Contains("cifar10", a.Source);
        Assert.True(a.Inputs.equal(b.Inputs).all().item<bool>());
        Assert.False(a.Inputs.equal(c.Inputs).all().item<bool>());
        Assert.False(a.Labels.equal(a.SecondLabels).all().item<bool>() && a.Inputs.equal(a.SecondInputs).all().item<bool>());
    }

    [Fact]
    public void Cifar100BatchUsesTheRealCifar100ImagesWithFineLabels()
    {
        using var a = ProxyData.Create("cifar100", 8, 5, TestData.Directory);
        using var b = ProxyData.Create("cifar100", 8, 5, TestData.Directory);
        Assert.Equal([8L, 3, 32, 32], a.Inputs.shape);
        Assert.Equal(100, a.NumClasses);
        Assert.Contains("cifar100", a.Source);
        Assert.DoesNotContain("synthetic", a.Source);
        Assert.True(a.Inputs.equal(b.Inputs).all().item<bool>());
        Assert.True(a.Labels.max().item<long>() < 100 && a.Labels.min().item<long>() >= 0);
        // Real 8-bit pixels: un-normalising the red channel gives whole numbers 0..255. Only the central 24×24 is checked,
        // since the random crop (pad 4) may bring the padded border in.
        var red = (a.Inputs.narrow(2, 4, 24).narrow(3, 4, 24).select(1, 0) * Cifar100Binary.Normalization.Std[0] + Cifar100Binary.Normalization.Mean[0]) * 255;
        Assert.True((red - red.round()).abs().max().item<float>() < 1e-3f);
        Assert.InRange(red.min().item<float>(), -0.01f, 255.01f);
        using var synthetic = ProxyData.Create("cifar100", 8, 5, null);
        Assert.Contains("synthetic", synthetic.Source);
    }
}
