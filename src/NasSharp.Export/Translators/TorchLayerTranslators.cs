using NasSharp.Export.Translation;
using TorchSharp.Modules;
using static NasSharp.Export.Translation.OnnxEmitter;
using static TorchSharp.torch;

namespace NasSharp.Export.Translators;

/// <summary>TorchSharp's own layers, in eval mode (BatchNorm on running statistics, Dropout as identity).</summary>
internal static class TorchLayerTranslators
{
    public static IEnumerable<IModuleTranslator> All =>
    [
        new SequentialTranslator(), new Conv2dTranslator(), new BatchNorm2dTranslator(), new LinearTranslator(), new FlattenTranslator(),
        new AvgPool2dTranslator(), new MaxPool2dTranslator(), new AdaptiveAvgPool2dTranslator(),
        new ReluTranslator(), new HardswishTranslator(), new HardsigmoidTranslator(), new IdentityTranslator(), new DropoutTranslator(),
    ];
}

internal sealed class SequentialTranslator : ModuleTranslator<Sequential>
{
    protected override string Translate(OnnxEmitter e, Sequential m, string x, string path) =>
        m.named_children().Aggregate(x, (v, c) => e.Emit(c.module, v, $"{path}.{c.name}"));
}

internal sealed class Conv2dTranslator : ModuleTranslator<Conv2d>
{
    protected override string Translate(OnnxEmitter e, Conv2d conv, string x, string path)
    {
        if (conv.padding_type is not null || conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.transposed)
            throw new UnsupportedModuleException(path, conv.GetType(), "uses 'same'/'valid' padding, a non-zero padding mode or is transposed; ONNX export supports explicit zero padding.");
        var inputs = new List<string> { x, e.Weight(conv.weight!, path + ".weight") };
        if (conv.bias is not null) inputs.Add(e.Weight(conv.bias, path + ".bias"));
        return e.Node("Conv", inputs, path,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation),
            Ints("pads", [.. conv.padding!, .. conv.padding!]), Int("group", conv.groups));
    }
}

internal sealed class BatchNorm2dTranslator : ModuleTranslator<BatchNorm2d>
{
    protected override string Translate(OnnxEmitter e, BatchNorm2d bn, string x, string path)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new UnsupportedModuleException(path, bn.GetType(), "does not track running statistics; eval-mode export needs them.");
        long n = bn.num_features;
        var scale = bn.weight is not null ? e.Weight(bn.weight, path + ".weight") : e.FloatConstant(Enumerable.Repeat(1f, (int)n).ToArray(), [n], path + ".weight");
        var bias = bn.bias is not null ? e.Weight(bn.bias, path + ".bias") : e.FloatConstant(new float[n], [n], path + ".bias");
        return e.Node("BatchNormalization", [x, scale, bias, e.Weight(bn.running_mean, path + ".running_mean"), e.Weight(bn.running_var, path + ".running_var")],
            path, Float("epsilon", (float)bn.eps));
    }
}

/// <summary>Flatten(axis 1) then Gemm: our networks apply Linear to flatten(1) of the pooled features.</summary>
internal sealed class LinearTranslator : ModuleTranslator<Linear>
{
    protected override string Translate(OnnxEmitter e, Linear linear, string x, string path)
    {
        var flat = e.Node("Flatten", [x], path + ".flatten", Int("axis", 1));
        var inputs = new List<string> { flat, e.Weight(linear.weight!, path + ".weight") };
        if (linear.bias is not null) inputs.Add(e.Weight(linear.bias, path + ".bias"));
        return e.Node("Gemm", inputs, path, Int("transB", 1));
    }
}

internal sealed class FlattenTranslator : ModuleTranslator<Flatten>
{
    protected override string Translate(OnnxEmitter e, Flatten m, string x, string path)
    {
        // ONNX Flatten always yields 2-D; that is Flatten(start 1, end -1), the default and the only form we use.
        var (start, end) = (m.start_dim, m.end_dim);
        if (start != 1 || end != -1) throw new UnsupportedModuleException(path, m.GetType(), $"flattens dims {start}..{end}; only 1..-1 maps to ONNX Flatten.");
        return e.Node("Flatten", [x], path, Int("axis", 1));
    }
}

internal sealed class AvgPool2dTranslator : ModuleTranslator<AvgPool2d>
{
    protected override string Translate(OnnxEmitter e, AvgPool2d pool, string x, string path)
    {
        if (pool.divisor_override is not null) throw new UnsupportedModuleException(path, pool.GetType(), "has a divisor override, which ONNX AveragePool cannot express.");
        var stride = pool.stride is { Length: > 0 } s ? s : pool.kernel_size;
        var pad = pool.padding is { Length: > 0 } p ? p : [0, 0];
        return e.Node("AveragePool", [x], path, Ints("kernel_shape", pool.kernel_size), Ints("strides", stride),
            Ints("pads", [.. pad, .. pad]), Int("count_include_pad", pool.count_include_pad ? 1 : 0), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }
}

internal sealed class MaxPool2dTranslator : ModuleTranslator<MaxPool2d>
{
    protected override string Translate(OnnxEmitter e, MaxPool2d pool, string x, string path)
    {
        var stride = pool.stride is { Length: > 0 } s ? s : pool.kernel_size;
        var pad = pool.padding is { Length: > 0 } p ? p : [0, 0];
        var dilation = pool.dilation is { Length: > 0 } d ? d : [1, 1];
        return e.Node("MaxPool", [x], path, Ints("kernel_shape", pool.kernel_size), Ints("strides", stride),
            Ints("pads", [.. pad, .. pad]), Ints("dilations", dilation), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }
}

internal sealed class AdaptiveAvgPool2dTranslator : ModuleTranslator<AdaptiveAvgPool2d>
{
    protected override string Translate(OnnxEmitter e, AdaptiveAvgPool2d pool, string x, string path) =>
        pool.output_size.All(s => s == 1) ? e.Node("GlobalAveragePool", [x], path)
            : throw new UnsupportedModuleException(path, pool.GetType(), $"pools to {string.Join("×", pool.output_size)}; only output size 1 (GlobalAveragePool) is exported.");
}

internal sealed class ReluTranslator : ModuleTranslator<ReLU>
{
    protected override string Translate(OnnxEmitter e, ReLU m, string x, string path) => e.Node("Relu", [x], path);
}

/// <summary>x·relu6(x+3)/6 = ONNX HardSwish (alpha 1/6, beta 1/2 are its fixed constants).</summary>
internal sealed class HardswishTranslator : ModuleTranslator<Hardswish>
{
    protected override string Translate(OnnxEmitter e, Hardswish m, string x, string path) => e.Node("HardSwish", [x], path);
}

/// <summary>relu6(x+3)/6 = ONNX HardSigmoid with alpha 1/6 (its default 0.2 is Keras' variant).</summary>
internal sealed class HardsigmoidTranslator : ModuleTranslator<Hardsigmoid>
{
    protected override string Translate(OnnxEmitter e, Hardsigmoid m, string x, string path) =>
        e.Node("HardSigmoid", [x], path, Float("alpha", 1f / 6f), Float("beta", 0.5f));
}

internal sealed class IdentityTranslator : ModuleTranslator<Identity>
{
    protected override string Translate(OnnxEmitter e, Identity m, string x, string path) => x;
}

/// <summary>Dropout is the identity at inference.</summary>
internal sealed class DropoutTranslator : ModuleTranslator<Dropout>
{
    protected override string Translate(OnnxEmitter e, Dropout m, string x, string path) => x;
}
