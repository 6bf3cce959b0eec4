using NasSharp.Export.Translation;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Export;

/// <summary>
/// Writes our networks as ONNX (opset 17) from their modules' weights — TorchSharp has no exporter. The graph is the
/// inference (eval-mode) network: BatchNorm uses the running statistics, dropout, drop-path and auxiliary heads are left out.
/// Each module type is written by its own <see cref="IModuleTranslator"/> (see <see cref="ModuleTranslators.Default"/>:
/// the NB201, NB101, DARTS and MobileNetV3 networks, the generic cells and TorchSharp's layers); a module without one is
/// refused with an <see cref="UnsupportedModuleException"/> naming its path and type.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "input", OutputName = "logits";

    /// <summary>Builds the ONNX model of <paramref name="network"/> for inputs of shape N×C×H×W (N symbolic).</summary>
    public static ModelProto ToModel(nn.Module<Tensor, Tensor> network, long channels, long height, long width, string description = "") =>
        ToModel(network, channels, height, width, description, ModuleTranslators.Default);

    /// <summary>As <see cref="ToModel(nn.Module{Tensor, Tensor}, long, long, long, string)"/> with a chosen translator set (e.g. <c>Default.With(myTranslator)</c>).</summary>
    public static ModelProto ToModel(nn.Module<Tensor, Tensor> network, long channels, long height, long width, string description, ModuleTranslators translators)
    {
        ArgumentNullException.ThrowIfNull(network);
        var g = new OnnxGraphBuilder();
        g.Input(InputName, [1, channels, height, width]);
        string output;
        using (no_grad()) output = new OnnxEmitter(g, translators).Emit(network, InputName, "net");
        g.Node("Identity", [output], "out"); // renamed below: the graph output gets a stable name
        var model = g.Model("NasSharp", description);
        model.Graph.Node[^1].Output[0] = OutputName;
        model.Graph.Output.Add(new ValueInfoProto { Name = OutputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = OutputShape(ClassifierOutputs(network)) } } });
        return model;
    }

    /// <summary>
    /// The same graph with every module's output also declared as a graph output, and the modules in the order their
    /// outputs were completed (children before their container) — for <see cref="OnnxDivergence"/>.
    /// </summary>
    internal static (ModelProto Model, IReadOnlyList<EmittedModule> Modules) ToTracedModel(nn.Module<Tensor, Tensor> network, long channels,
                                                                                          long height, long width, ModuleTranslators translators)
    {
        var trace = new List<EmittedModule>();
        var g = new OnnxGraphBuilder();
        g.Input(InputName, [1, channels, height, width]);
        using (no_grad()) new OnnxEmitter(g, translators, trace).Emit(network, InputName, "net");
        var model = g.Model("NasSharp", "traced");
        var declared = new HashSet<string> { InputName };
        foreach (var m in trace)
            if (declared.Add(m.Value)) // identity-like modules pass a value through; declare it once
                model.Graph.Output.Add(new ValueInfoProto { Name = m.Value, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        return (model, trace);
    }

    public static void Save(ModelProto model, string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir)) throw new NasInputException($"--out '{path}': directory '{dir}' does not exist.");
        using var stream = File.Create(full);
        using var coded = new Google.Protobuf.CodedOutputStream(stream);
        model.WriteTo(coded);
    }

    private static TensorShapeProto OutputShape(long classes)
    {
        var s = new TensorShapeProto();
        s.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        s.Dim.Add(classes > 0 ? new TensorShapeProto.Types.Dimension { DimValue = classes } : new TensorShapeProto.Types.Dimension { DimParam = "classes" });
        return s;
    }

    /// <summary>Outputs of the network's top-level Linear "classifier" (all our networks have one); 0 = unknown, left symbolic.</summary>
    private static long ClassifierOutputs(nn.Module network) =>
        OnnxEmitter.TryChild(network, "classifier") is Linear linear ? linear.out_features : 0;
}
