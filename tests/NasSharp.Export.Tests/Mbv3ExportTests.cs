using NasSharp.Spaces.Mbv3;
using NasSharp.Torch.Networks;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>Once-for-all MobileNetV3 sub-networks at width ×0.25 (depth-wise convs, h-swish, squeeze-excite, residuals).</summary>
public class Mbv3ExportTests
{
    private static Mbv3Network Network(Mbv3Config config, int seed, long size = 32)
    {
        manual_seed(seed);
        return WithBnStatistics(new Mbv3Network(config, new Mbv3NetworkOptions { WidthMultiplier = 0.25 }), size: size);
    }

    private static Mbv3Config Uniform(int kernel, int expand, int depth) => new(
        Enumerable.Range(0, Mbv3Config.Slots).Select(i => i % 4 < depth ? kernel : 0).ToArray(),
        Enumerable.Range(0, Mbv3Config.Slots).Select(i => i % 4 < depth ? expand : 0).ToArray(),
        Enumerable.Repeat(depth, Mbv3Config.Stages).ToArray(), 224);

    [Theory]
    [InlineData(3, 3, 2)] // smallest
    [InlineData(7, 6, 4)] // largest
    public void UniformNetworks_MatchTorchSharp(int kernel, int expand, int depth) =>
        AssertMatches(ExportAndRun(Network(Uniform(kernel, expand, depth), seed: kernel)));

    [Theory]
    [InlineData(21, 32)]
    [InlineData(22, 48)]
    public void SampledNetwork_MatchesTorchSharp(int seed, int size)
    {
        var config = Mbv3Space.ToConfig(Mbv3Space.Instance.Sample(new Random(seed)));
        AssertMatches(ExportAndRun(Network(config, seed, size), size: size));
    }

    [Fact]
    public void Graph_UsesHardSwish_SqueezeExcite_AndDepthwiseConvs()
    {
        var model = OnnxExporter.ToModel(Network(Uniform(5, 4, 2), seed: 5), 3, 32, 32);
        var ops = model.Graph.Node.Select(n => n.OpType).ToHashSet();
        Assert.Superset(new HashSet<string> { "HardSwish", "HardSigmoid", "Mul", "Add", "Relu", "GlobalAveragePool" }, ops); // Add: residuals
        Assert.Contains(model.Graph.Node, n => n.OpType == "Conv" && n.Attribute.Single(a => a.Name == "group").I > 1);
    }
}
