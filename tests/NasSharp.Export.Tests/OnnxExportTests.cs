using Google.Protobuf;
using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks;
using Onnx;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

public class OnnxExportTests
{
    /// <summary>
    /// A network with non-trivial BN statistics: a few train-mode forward passes move running mean/var away from 0/1,
    /// so an exporter that ignored them (or used batch statistics) would fail the comparison.
    /// </summary>
    private static nn.Module<Tensor, Tensor> Network(string arch, int cellsPerStage, int seed)
    {
        manual_seed(seed);
        var net = NetworkFactory.Create(Nb201Space.Instance.Parse(arch), new NetworkOptions { Nb201CellsPerStage = cellsPerStage });
        net.train();
        using (no_grad())
            for (int i = 0; i < 3; i++)
                using (var d = NewDisposeScope()) net.call(randn(8, 3, 32, 32) * 2 + 0.5);
        net.eval();
        return net;
    }

    private static OnnxCheck ExportAndRun(nn.Module<Tensor, Tensor> net)
    {
        var model = OnnxExporter.ToModel(net, 3, 32, 32);
        return OnnxVerifier.Verify(net, model.ToByteArray(), [2, 3, 32, 32], seed: 1);
    }

    [Theory]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|")] // index 6111, the best
    [InlineData("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|")] // index 0
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")]                                                   // all zero: cells output 0
    [InlineData("|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|")]                                           // output node cut off
    [InlineData("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|")]   // parameter-free cells
    [InlineData("|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|")] // pooling only
    public void Nb201Export_RunsInOnnxRuntime_AndMatchesTorchSharp(string arch)
    {
        var check = ExportAndRun(Network(arch, cellsPerStage: 1, seed: 3));
        Assert.Equal([2L, 10L], check.OutputShape);
        Assert.True(check.Passed, $"max |diff| = {check.MaxAbsDiff:E3} (outputs up to {check.MaxAbsOutput:F3})");
        Assert.True(check.MaxAbsOutput > 1e-3, "logits should not all be zero (the classifier bias alone is non-zero)");
    }

    [Fact]
    public void FullSizeBenchmarkNetwork_MatchesTorchSharp()
    {
        var check = ExportAndRun(Network("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", cellsPerStage: 5, seed: 4));
        Assert.True(check.Passed, $"max |diff| = {check.MaxAbsDiff:E3}");
    }

    [Fact]
    public void Graph_UsesTheExpectedOperators_AndOneInitializerPerTensor()
    {
        var net = Network("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", 1, 5);
        var model = OnnxExporter.ToModel(net, 3, 32, 32);
        var ops = model.Graph.Node.Select(n => n.OpType).ToHashSet();
        Assert.Superset(new HashSet<string> { "Conv", "BatchNormalization", "Relu", "AveragePool", "Add", "GlobalAveragePool", "Flatten", "Gemm" }, ops);
        // parameters + BN running stats: every state tensor except num_batches_tracked becomes one initializer
        long stateTensors = net.state_dict().Count(kv => !kv.Key.EndsWith("num_batches_tracked"));
        Assert.Equal(stateTensors, model.Graph.Initializer.Count);
    }

    [Fact]
    public void DivergedWeights_AreRefused()
    {
        var net = Network("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1, 6);
        using (no_grad()) net.parameters().First().fill_(float.NaN);
        Assert.Throws<NasInputException>(() => OnnxExporter.ToModel(net, 3, 32, 32));
    }
}
