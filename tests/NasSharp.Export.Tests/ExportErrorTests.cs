using Google.Protobuf;
using NasSharp.Export.Translation;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Export.Tests;

public class ExportErrorTests
{
    /// <summary>A module the exporter has never heard of.</summary>
    private sealed class Doubler() : Module<Tensor, Tensor>("Doubler")
    {
        public override Tensor forward(Tensor x) => x * 2;
    }

    /// <summary>What a new module kind brings along to become exportable.</summary>
    private sealed class DoublerTranslator : ModuleTranslator<Doubler>
    {
        protected override string Translate(OnnxEmitter e, Doubler m, string x, string path) =>
            e.Node("Mul", [x, e.FloatConstant([2f], [], path + ".two")], path);
    }

    private static Module<Tensor, Tensor> NetWith(Module<Tensor, Tensor> middle)
    {
        manual_seed(1);
        return Sequential(("conv", Conv2d(3, 4, 3, padding: 1)), ("odd", middle), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("classifier", Linear(4, 10)));
    }

    [Fact]
    public void ModuleWithoutTranslator_IsRefused_NamingItsTypeAndPath()
    {
        var e = Assert.Throws<UnsupportedModuleException>(() => OnnxExporter.ToModel(NetWith(new Doubler()), 3, 16, 16));
        Assert.Equal(typeof(Doubler), e.ModuleType);
        Assert.Equal("net.odd", e.ModulePath);
        Assert.Contains("Doubler", e.Message);
        Assert.Contains("no ONNX translator", e.Message);
        Assert.IsAssignableFrom<NasInputException>(e); // the CLI prints it as one line, exit 2
    }

    [Fact]
    public void RegisteredTranslator_MakesTheNewModuleExportable()
    {
        var net = NetWith(new Doubler());
        net.eval();
        var model = OnnxExporter.ToModel(net, 3, 16, 16, "", ModuleTranslators.Default.With(new DoublerTranslator()));
        var check = OnnxVerifier.Verify(net, model.ToByteArray(), [2, 3, 16, 16], seed: 2);
        AssertMatches(check);
        Assert.Null(ModuleTranslators.Default.Find(typeof(Doubler))); // the default set is untouched
    }

    [Fact]
    public void SettingOnnxCannotExpress_IsRefused_NamingTheModule()
    {
        var e = Assert.Throws<UnsupportedModuleException>(() => OnnxExporter.ToModel(NetWith(AdaptiveAvgPool2d(2)), 3, 16, 16));
        Assert.Equal("net.odd", e.ModulePath);
        Assert.Contains("AdaptiveAvgPool2d", e.Message);
    }

    [Fact]
    public void LayerTranslators_Conv_WithBiasStrideDilationGroups_Pools_Activations_MatchTorchSharp()
    {
        manual_seed(4);
        var net = Sequential(
            ("conv", Conv2d(3, 6, 3, stride: 2, padding: 2, dilation: 2)), ("bn", BatchNorm2d(6)), ("hs", Hardswish()),
            ("dw", Conv2d(6, 6, 5, padding: 2, groups: 3, bias: false)), ("hsig", Hardsigmoid()), ("drop", Dropout(0.5)),
            ("max", MaxPool2d(3, stride: 2, padding: 1)), ("avg", AvgPool2d(3, stride: 1, padding: 1)),
            ("gap", AdaptiveAvgPool2d(1)), ("flat", Flatten()), ("classifier", Linear(6, 10)));
        AssertMatches(ExportAndRun(WithBnStatistics(net)));
    }
}
