using Google.Protobuf;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>What every export test does: give BN real statistics, export, run the bytes in ONNX Runtime next to TorchSharp.</summary>
internal static class ExportTestNetworks
{
    /// <summary>
    /// A few train-mode passes move BN running mean/var away from 0/1, so an exporter that ignored them (or used batch
    /// statistics) would fail the comparison. Returns the network in eval mode.
    /// </summary>
    public static T WithBnStatistics<T>(T net, long channels = 3, long size = 32) where T : nn.Module<Tensor, Tensor>
    {
        net.train();
        using (no_grad())
            for (int i = 0; i < 3; i++)
                using (var d = NewDisposeScope()) net.call(randn(8, channels, size, size) * 2 + 0.5);
        net.eval();
        return net;
    }

    public static OnnxCheck ExportAndRun(nn.Module<Tensor, Tensor> net, long channels = 3, long size = 32)
    {
        var model = OnnxExporter.ToModel(net, channels, size, size);
        return OnnxVerifier.Verify(net, model.ToByteArray(), [2, channels, size, size], seed: 1);
    }

    public static void AssertMatches(OnnxCheck check, long classes = 10)
    {
        Assert.Equal([2L, classes], check.OutputShape);
        Assert.True(check.Passed, $"max |diff| = {check.MaxAbsDiff:E3} (outputs up to {check.MaxAbsOutput:F3}); {check.FirstDivergence?.ToString() ?? "no single module diverges"}");
        Assert.True(check.MaxAbsOutput > 1e-3, "logits should not all be zero (the classifier bias alone is non-zero)");
    }
}
