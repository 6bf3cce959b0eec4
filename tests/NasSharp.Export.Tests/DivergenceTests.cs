using Google.Protobuf;
using NasSharp.Export.Translation;
using NasSharp.Spaces.Nb101;
using NasSharp.Torch.Networks;
using TorchSharp.Modules;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>A failed check names the module whose semantics differ, not only the final max |diff|.</summary>
public class DivergenceTests
{
    /// <summary>A plausible translator bug: MaxPool exported with its padding counted as zeros instead of −∞
    /// (pads through a Pad node), which differs only where a window's real values are all negative.</summary>
    private sealed class ZeroPaddedMaxPool : ModuleTranslator<MaxPool2d>
    {
        protected override string Translate(OnnxEmitter e, MaxPool2d pool, string x, string path)
        {
            long p = pool.padding is { Length: > 0 } pad ? pad[0] : 0;
            var padded = e.Node("Pad", [x, e.Int64Constant(0, 0, p, p, 0, 0, p, p)], path + ".pad");
            var stride = pool.stride is { Length: > 0 } s ? s : pool.kernel_size;
            return e.Node("MaxPool", [padded], path, OnnxEmitter.Ints("kernel_shape", pool.kernel_size), OnnxEmitter.Ints("strides", stride));
        }
    }

    /// <summary>A translator that gets an operator's meaning wrong (LeakyRelu for ReLU).</summary>
    private sealed class LeakyRelu : ModuleTranslator<ReLU>
    {
        protected override string Translate(OnnxEmitter e, ReLU m, string x, string path) =>
            e.Node("LeakyRelu", [x], path, OnnxEmitter.Float("alpha", 0.1f));
    }

    private static nn.Module<Tensor, Tensor> Nb101(string arch)
    {
        manual_seed(7);
        var options = new NetworkOptions { Nb101StemChannels = 10, Nb101Stacks = 2, Nb101CellsPerStack = 1 };
        return WithBnStatistics(NetworkFactory.Create(Nb101Space.Instance.Parse(arch), options));
    }

    [Fact]
    public void WrongOperator_IsLocatedAtTheFirstModuleThatUsesIt()
    {
        var net = Nb101("0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output");
        var translators = ModuleTranslators.Default.With(new LeakyRelu());
        var model = OnnxExporter.ToModel(net, 3, 32, 32, "", translators);
        var check = OnnxVerifier.Verify(net, model.ToByteArray(), [2, 3, 32, 32], seed: 1, translators);
        Assert.False(check.Passed);
        Assert.NotNull(check.FirstDivergence);
        Assert.Equal("net.stem.relu", check.FirstDivergence!.ModulePath); // the stem's ReLU, before any cell
        Assert.Equal(nameof(ReLU), check.FirstDivergence.ModuleType);
    }

    [Fact]
    public void ZeroPaddedMaxPool_IsLocatedAtTheMaxPool()
    {
        // Input straight into a padded max-pool: border windows over negative values are where 0 and −∞ padding differ.
        manual_seed(3);
        var net = nn.Sequential(("pool", nn.MaxPool2d(3, stride: 1, padding: 1)), ("conv", nn.Conv2d(3, 4, 1)),
                                ("gap", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("classifier", nn.Linear(4, 10)));
        net.eval();
        var translators = ModuleTranslators.Default.With(new ZeroPaddedMaxPool());
        var model = OnnxExporter.ToModel(net, 3, 8, 8, "", translators);
        var check = OnnxVerifier.Verify(net, model.ToByteArray(), [2, 3, 8, 8], seed: 1, translators);
        Assert.False(check.Passed);
        Assert.Equal("net.pool", check.FirstDivergence?.ModulePath);
    }

    [Fact]
    public void PassingCheck_HasNoDivergence()
    {
        var check = ExportAndRun(Nb101("011001000:input,maxpool3x3,output"));
        AssertMatches(check);
        Assert.Null(check.FirstDivergence);
    }
}
