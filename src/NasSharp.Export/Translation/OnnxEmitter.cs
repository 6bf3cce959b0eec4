using Onnx;
using static TorchSharp.torch;

namespace NasSharp.Export.Translation;

/// <summary>
/// What a translator writes with: <see cref="Emit"/> hands a child module to its translator; the rest adds nodes, weights
/// and constants to the graph under construction. Value names are unique; <c>hint</c>s only make the graph readable.
/// </summary>
public sealed class OnnxEmitter
{
    private readonly OnnxGraphBuilder _graph;
    private readonly ModuleTranslators _translators;
    private readonly Dictionary<string, string> _int64Constants = [];
    private readonly List<EmittedModule>? _trace;

    internal OnnxEmitter(OnnxGraphBuilder graph, ModuleTranslators translators, List<EmittedModule>? trace = null)
    {
        _graph = graph;
        _translators = translators;
        _trace = trace;
    }

    /// <summary>Writes <paramref name="module"/> applied to <paramref name="input"/> and returns the output's name.</summary>
    public string Emit(nn.Module module, string input, string path)
    {
        var translator = _translators.Find(module.GetType())
            ?? throw new UnsupportedModuleException(path, module.GetType(),
                "has no ONNX translator; register an IModuleTranslator for it (see docs/export.md) or build the network from supported modules.");
        var output = translator.Translate(this, module, input, path);
        _trace?.Add(new EmittedModule(module, path, output)); // completion order: a module after its children
        return output;
    }

    /// <summary>The child <paramref name="name"/> of <paramref name="module"/>, emitted on <paramref name="input"/>.</summary>
    public string EmitChild(nn.Module module, string name, string input, string path) =>
        Emit(Child(module, name, path), input, $"{path}.{name}");

    /// <summary>A registered child by name; a translator that finds its module's structure changed says so instead of guessing.</summary>
    public static nn.Module Child(nn.Module module, string name, string path) =>
        TryChild(module, name) ?? throw new UnsupportedModuleException(path, module.GetType(),
            $"has no child '{name}' (children: {string.Join(", ", module.named_children().Select(c => c.name))}); its translator no longer matches the module.");

    public static nn.Module? TryChild(nn.Module module, string name) =>
        module.named_children().FirstOrDefault(c => c.name == name).module;

    public string Node(string opType, IEnumerable<string> inputs, string hint, params AttributeProto[] attributes) =>
        _graph.Node(opType, inputs, hint, attributes);

    /// <summary>A parameter or buffer copied into a float32 initializer (refused if it holds NaN/Inf).</summary>
    public string Weight(Tensor tensor, string hint) => _graph.Initializer(tensor, hint);

    public string FloatConstant(float[] values, long[] dims, string hint) => _graph.Constant(values, dims, hint);

    /// <summary>An int64 vector (Slice starts/ends/axes/steps), shared between nodes that use the same values.</summary>
    public string Int64Constant(params long[] values)
    {
        var key = string.Join(",", values);
        if (!_int64Constants.TryGetValue(key, out var name))
            _int64Constants[key] = name = _graph.Int64Constant(values, "i64");
        return name;
    }

    /// <summary>ONNX Slice (opset ≥ 10 form) of <paramref name="x"/> along <paramref name="axes"/>.</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes, long[] steps, string hint) =>
        Node("Slice", [x, Int64Constant(starts), Int64Constant(ends), Int64Constant(axes), Int64Constant(steps)], hint);

    /// <summary>x·0: the zeros of x's shape, computed as the TorchSharp modules do.</summary>
    public string Zeros(string x, string hint) => Node("Mul", [x, FloatConstant([0f], [], hint + ".zero")], hint);

    public static AttributeProto Ints(string name, IEnumerable<long> values) => OnnxGraphBuilder.Ints(name, values);
    public static AttributeProto Int(string name, long value) => OnnxGraphBuilder.Int(name, value);
    public static AttributeProto Float(string name, float value) => OnnxGraphBuilder.Float(name, value);
}

/// <summary>One emitted module and the graph value holding its output (what the divergence locator compares).</summary>
internal sealed record EmittedModule(nn.Module Module, string Path, string Value);
