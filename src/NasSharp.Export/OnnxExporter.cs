using NasSharp.Torch.Networks;
using NasSharp.Torch.Networks.Cells;
using NasSharp.Torch.Networks.Nb201;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static NasSharp.Export.OnnxGraphBuilder;

namespace NasSharp.Export;

/// <summary>
/// Writes our networks as ONNX (opset 17) from their modules' weights — TorchSharp has no exporter. The graph is the
/// inference (eval-mode) network: BatchNorm uses the running statistics. Supported modules: <see cref="CellNetwork"/>,
/// <see cref="EdgeOpCell"/> (NB201-style cells; a node with no live input becomes x·0, as the network computes zeros),
/// <see cref="ResNetBasicBlock"/>, Sequential, Conv2d, BatchNorm2d, ReLU, Identity, AvgPool2d, MaxPool2d,
/// AdaptiveAvgPool2d(1) (GlobalAveragePool) and Linear (Flatten + Gemm). Anything else is refused with the module's type.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "input", OutputName = "logits";

    /// <summary>Builds the ONNX model of <paramref name="network"/> for inputs of shape N×C×H×W (N symbolic).</summary>
    public static ModelProto ToModel(nn.Module<Tensor, Tensor> network, long channels, long height, long width, string description = "")
    {
        var g = new OnnxGraphBuilder();
        g.Input(InputName, [1, channels, height, width]);
        using var noGrad = no_grad();
        var output = Emit(g, network, InputName, "net");
        g.Node("Identity", [output], "out"); // renamed below: the graph output gets a stable name
        long classes = network is CellNetwork cn ? ClassifierOutputs(cn) : 0;
        var model = g.Model("NasSharp", description);
        model.Graph.Node[^1].Output[0] = OutputName;
        model.Graph.Output.Add(new ValueInfoProto { Name = OutputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = OutputShape(classes) } } });
        return model;
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

    private static long ClassifierOutputs(CellNetwork net) =>
        net.named_children().Select(c => c.module).OfType<Linear>().Single().out_features;

    private static string Emit(OnnxGraphBuilder g, nn.Module module, string x, string path) => module switch
    {
        CellNetwork net => EmitCellNetwork(g, net, x, path),
        EdgeOpCell cell => EmitEdgeCell(g, cell, x, path),
        ResNetBasicBlock block => EmitResNetBlock(g, block, x, path),
        Sequential seq => seq.named_children().Aggregate(x, (v, c) => Emit(g, c.module, v, $"{path}.{c.name}")),
        Conv2d conv => EmitConv(g, conv, x, path),
        BatchNorm2d bn => EmitBatchNorm(g, bn, x, path),
        ReLU => g.Node("Relu", [x], path),
        Identity => x,
        AvgPool2d pool => EmitAvgPool(g, pool, x, path),
        MaxPool2d pool => EmitMaxPool(g, pool, x, path),
        AdaptiveAvgPool2d pool when pool.output_size.All(s => s == 1) => g.Node("GlobalAveragePool", [x], path),
        Linear linear => EmitLinear(g, linear, g.Node("Flatten", [x], path + ".flatten", Int("axis", 1)), path),
        _ => throw new NasInputException($"ONNX export does not support module '{path}' of type {module.GetType().Name}."),
    };

    private static Dictionary<string, nn.Module> Children(nn.Module m) => m.named_children().ToDictionary(c => c.name, c => c.module);

    private static string EmitCellNetwork(OnnxGraphBuilder g, CellNetwork net, string x, string path)
    {
        var c = Children(net);
        var v = Emit(g, c["stem"], x, path + ".stem");
        foreach (var (name, cell) in c["cells"].named_children()) v = Emit(g, cell, v, $"{path}.cells.{name}");
        v = Emit(g, c["lastact"], v, path + ".lastact");
        v = Emit(g, c["global_pooling"], v, path + ".global_pooling");
        // Linear emits Flatten(axis=1) first, as the network's flatten(1).
        return Emit(g, c["classifier"], v, path + ".classifier");
    }

    private static string EmitEdgeCell(OnnxGraphBuilder g, EdgeOpCell cell, string x, string path)
    {
        var edges = Children(cell)["edges"].named_children()
            .Select(e => (Key: e.name, Module: e.module, To: int.Parse(e.name.Split("<-")[0]), From: int.Parse(e.name.Split("<-")[1])))
            .OrderBy(e => e.To).ThenBy(e => e.From).ToList();
        var nodes = new string[cell.NodeCount];
        nodes[0] = x;
        for (int j = 1; j < cell.NodeCount; j++)
        {
            var incoming = edges.Where(e => e.To == j).ToList();
            if (incoming.Count == 0)
            {
                nodes[j] = g.Node("Mul", [x, g.Constant([0f], [], path + ".zero")], $"{path}.node{j}");
                continue;
            }
            string? sum = null;
            foreach (var e in incoming)
            {
                var term = Emit(g, e.Module, nodes[e.From], $"{path}.edges.{e.Key}");
                sum = sum is null ? term : g.Node("Add", [sum, term], $"{path}.node{j}");
            }
            nodes[j] = sum!;
        }
        return nodes[^1];
    }

    private static string EmitResNetBlock(OnnxGraphBuilder g, ResNetBasicBlock block, string x, string path)
    {
        var c = Children(block);
        var main = Emit(g, c["conv_b"], Emit(g, c["conv_a"], x, path + ".conv_a"), path + ".conv_b");
        var shortcut = Emit(g, c["downsample"], x, path + ".downsample");
        return g.Node("Add", [main, shortcut], path);
    }

    private static string EmitConv(OnnxGraphBuilder g, Conv2d conv, string x, string path)
    {
        if (conv.padding_type is not null || conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.transposed)
            throw new NasInputException($"ONNX export supports zero-padded, explicitly padded convolutions; '{path}' is not.");
        var inputs = new List<string> { x, g.Initializer(conv.weight!, path + ".weight") };
        if (conv.bias is not null) inputs.Add(g.Initializer(conv.bias, path + ".bias"));
        return g.Node("Conv", inputs, path,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation),
            Ints("pads", [.. conv.padding, .. conv.padding]), Int("group", conv.groups));
    }

    private static string EmitBatchNorm(OnnxGraphBuilder g, BatchNorm2d bn, string x, string path)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new NasInputException($"ONNX export needs running statistics; BatchNorm '{path}' does not track them.");
        long n = bn.num_features;
        var scale = bn.weight is not null ? g.Initializer(bn.weight, path + ".weight") : g.Constant(Enumerable.Repeat(1f, (int)n).ToArray(), [n], path + ".weight");
        var bias = bn.bias is not null ? g.Initializer(bn.bias, path + ".bias") : g.Constant(new float[n], [n], path + ".bias");
        return g.Node("BatchNormalization", [x, scale, bias, g.Initializer(bn.running_mean, path + ".running_mean"), g.Initializer(bn.running_var, path + ".running_var")],
            path, Float("epsilon", (float)bn.eps));
    }

    private static string EmitAvgPool(OnnxGraphBuilder g, AvgPool2d pool, string x, string path)
    {
        if (pool.divisor_override is not null) throw new NasInputException($"ONNX AveragePool has no divisor override ('{path}').");
        var stride = pool.stride is { Length: > 0 } s ? s : pool.kernel_size;
        var pad = pool.padding is { Length: > 0 } p ? p : [0, 0];
        return g.Node("AveragePool", [x], path, Ints("kernel_shape", pool.kernel_size), Ints("strides", stride),
            Ints("pads", [.. pad, .. pad]), Int("count_include_pad", pool.count_include_pad ? 1 : 0), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    private static string EmitMaxPool(OnnxGraphBuilder g, MaxPool2d pool, string x, string path)
    {
        var stride = pool.stride is { Length: > 0 } s ? s : pool.kernel_size;
        var pad = pool.padding is { Length: > 0 } p ? p : [0, 0];
        var dilation = pool.dilation is { Length: > 0 } d ? d : [1, 1];
        return g.Node("MaxPool", [x], path, Ints("kernel_shape", pool.kernel_size), Ints("strides", stride),
            Ints("pads", [.. pad, .. pad]), Ints("dilations", dilation), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    private static string EmitLinear(OnnxGraphBuilder g, Linear linear, string x, string path)
    {
        var inputs = new List<string> { x, g.Initializer(linear.weight!, path + ".weight") };
        if (linear.bias is not null) inputs.Add(g.Initializer(linear.bias, path + ".bias"));
        return g.Node("Gemm", inputs, path, Int("transB", 1));
    }
}
