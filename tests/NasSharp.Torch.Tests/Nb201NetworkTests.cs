using NasSharp.Benchmarks;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Networks.Nb201;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests;

public class Nb201NetworkTests
{
    private const string Best6111 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private const string AllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    private const string AllSkip = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";
    private const string AllConv3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    // Convs everywhere except into the output node, whose inputs are all 'none': disconnected, yet it carries parameters.
    private const string Disconnected = "|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|none~1|none~2|";

    private static Architecture Parse(string s) => Nb201Space.Instance.Parse(s);

    /// <summary>The closed form of the zero-cost-proxies spec §3.3 (derived from the layer shapes, not from our code).</summary>
    private static long ClosedForm(Architecture arch, int classes = 10)
    {
        var ops = Nb201Space.OpIndices(arch);
        int n3 = ops.Count(o => Nb201Space.Ops[o].Name == "nor_conv_3x3"), n1 = ops.Count(o => Nb201Space.Ops[o].Name == "nor_conv_1x1");
        return 72_656 + 65L * classes + 243_040L * n3 + 28_000L * n1;
    }

    [Theory]
    [InlineData(AllNone, 73_306)]
    [InlineData(AllSkip, 73_306)]
    [InlineData(Best6111, 1_073_466)]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|", 1_288_506)]
    [InlineData(AllConv3, 1_531_546)]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|nor_conv_1x1~0|none~1|none~2|", 615_386)]
    [InlineData(Disconnected, 73_306 + 2 * 243_040 + 28_000)]
    public void ParameterCountsMatchPublishedValues(string arch, long expected)
    {
        using var net = NetworkFactory.Create(Parse(arch));
        Assert.Equal(expected, net.ParameterCount());
    }

    [Theory]
    [InlineData(100, 1_079_316)]
    [InlineData(120, 1_080_616)]
    public void ClassCountChangesOnlyTheClassifier(int classes, long expected)
    {
        using var net = NetworkFactory.Create(Parse(Best6111), new NetworkOptions { NumClasses = classes });
        Assert.Equal(expected, net.ParameterCount());
    }

    [Fact]
    public void SampleOfTheTableMatchesClosedFormAndParamsColumn()
    {
        var bench = Nb201Benchmark.Load(TestData.Directory);
        var rng = new Random(7);
        int agree = 0, total = 0;
        foreach (var index in Enumerable.Range(0, 40).Select(_ => rng.Next(Nb201Space.SpaceSize)).Append(6111).Append(1462))
        {
            var arch = bench.ArchitectureAt(index);
            using var net = NetworkFactory.Create(arch);
            long count = net.ParameterCount();
            Assert.Equal(ClosedForm(arch), count);
            double recorded = bench.Query(index, BenchDataset.Cifar10, BenchMetric.ParamsM)!.Value * 1e6;
            total++;
            // ~204 of 15,625 rows record an averaging artefact (off by a multiple of a third of one conv edge): see data README.
            if (Math.Abs(recorded - count) < 1) agree++;
        }
        Assert.True(agree >= total - 2, $"only {agree} of {total} sampled rows agree with params_m");
    }

    [Fact]
    public void ForwardGivesLogitsForCifarAndImageNet16Sizes()
    {
        torch.manual_seed(1);
        using var scope = NewDisposeScope();
        using var net = NetworkFactory.Create(Parse(Best6111));
        var logits = net.call(randn(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.Equal(new long[] { 2, 10 }, net.call(randn(2, 3, 16, 16)).shape);
        var features = ((INasNetwork)net).Features(randn(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 64, 8, 8 }, features.shape);
    }

    [Theory]
    [InlineData(AllNone)]
    [InlineData(Disconnected)]
    public void DisconnectedCellsBuildRunAndOutputTheClassifierBias(string arch)
    {
        torch.manual_seed(2);
        using var scope = NewDisposeScope();
        var a = Parse(arch);
        Assert.True(Nb201Space.IsDisconnected(a));
        using var net = (CellNetwork)NetworkFactory.Create(a);
        Assert.True(net.IsDisconnected);
        var logits = net.call(randn(3, 3, 32, 32));
        var bias = net.named_parameters().Single(p => p.name == "classifier.bias").parameter;
        Assert.True(logits.allclose(bias.unsqueeze(0).expand(3, -1)), "a disconnected network must output the classifier bias for every input");
        // Gradients still flow to the classifier, and are zero (not missing) upstream of the cut.
        nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2 })).backward();
        Assert.True(bias.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void SkipOnlyNetworkDependsOnItsInput()
    {
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        using var net = NetworkFactory.Create(Parse(AllSkip));
        var y = net.call(randn(4, 3, 32, 32));
        Assert.True(y.std(0).sum().item<float>() > 0, "different images must give different logits");
    }

    [Fact]
    public void BatchNormOffRemovesEveryBnParameter()
    {
        using var net = NetworkFactory.Create(Parse(AllNone), new NetworkOptions { BatchNorm = false });
        Assert.DoesNotContain(net.modules(), m => m is TorchSharp.Modules.BatchNorm2d);
        // BN parameters of the conv-free network: stem 2·16, reductions 2·(2·32) + 2·(2·64), head 2·64 = 544.
        Assert.Equal(73_306 - 544, net.ParameterCount());
        using var bestNoBn = NetworkFactory.Create(Parse(Best6111), new NetworkOptions { BatchNorm = false });
        // each 3x3 edge loses 2C per cell, each 1x1 edge 2C: 5 cells × 2(16+32+64) = 1,120 per edge, 5 conv edges.
        Assert.Equal(1_073_466 - 544 - 5 * 1_120, bestNoBn.ParameterCount());
    }

    [Fact]
    public void SameSeedGivesSameWeights()
    {
        torch.manual_seed(11);
        using var a = NetworkFactory.Create(Parse(Best6111));
        torch.manual_seed(11);
        using var b = NetworkFactory.Create(Parse(Best6111));
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
            Assert.True(pa.eq(pb).all().item<bool>());
    }

    [Fact]
    public void ForwardHooksFireOnNestedReluModules()
    {
        // Proxies (naswot, fisher, meco) rely on hooks reaching modules nested in Sequential and cells.
        using var scope = NewDisposeScope();
        using var net = NetworkFactory.Create(Parse(Best6111));
        int relus = 0;
        foreach (var (_, m) in net.named_modules())
            if (m is TorchSharp.Modules.ReLU relu)
                relu.register_forward_hook((_, _, output) => { relus++; return output; });
        net.call(randn(1, 3, 32, 32));
        // 15 cells × 5 ReLU-Conv-BN edges + 2 reductions × 2 + lastact 1 = 80.
        Assert.Equal(15 * 5 + 4 + 1, relus);
    }

    [Fact]
    public void UnbuildableInputsAreNasInputExceptions()
    {
        var badOp = new Architecture("nb201", 4, Nb201Space.EdgeOrder.Select(e => new ArchEdge(e.From, e.To, "sep_conv_5x5")));
        Assert.Throws<NasInputException>(() => NetworkFactory.Create(badOp));
        var otherSpace = new Architecture("darts", 4, Nb201Space.EdgeOrder.Select(e => new ArchEdge(e.From, e.To, "skip_connect")));
        Assert.Throws<NasInputException>(() => NetworkFactory.Create(otherSpace));
        Assert.Throws<NasInputException>(() => NetworkFactory.Create(Parse(AllNone), new NetworkOptions { NumClasses = 0 }));
    }
}
