using NasSharp.Export.Translation;
using NasSharp.Torch.Networks;

namespace NasSharp.Export.Translators;

/// <summary>The once-for-all MobileNetV3 network: depth-wise convs are grouped Conv2d, h-swish/h-sigmoid have ONNX ops.</summary>
internal static class Mbv3Translators
{
    public static IEnumerable<IModuleTranslator> All => [new Mbv3NetworkTranslator(), new Mbv3BlockTranslator(), new SqueezeExciteTranslator()];
}

/// <summary>first_conv → blocks → final_expand_layer → global pool → feature_mix_layer → dropout (identity) → classifier.</summary>
internal sealed class Mbv3NetworkTranslator : ModuleTranslator<Mbv3Network>
{
    protected override string Translate(OnnxEmitter e, Mbv3Network net, string x, string path)
    {
        var v = e.EmitChild(net, "first_conv", x, path);
        foreach (var (name, block) in OnnxEmitter.Child(net, "blocks", path).named_children()) v = e.Emit(block, v, $"{path}.blocks.{name}");
        foreach (var name in new[] { "final_expand_layer", "global_pooling", "feature_mix_layer", "dropout", "classifier" })
            v = e.EmitChild(net, name, v, path);
        return v;
    }
}

/// <summary>[inverted_bottleneck] → depth_conv → [se] → point_linear, + x when the block is residual.</summary>
internal sealed class Mbv3BlockTranslator : ModuleTranslator<Mbv3Block>
{
    protected override string Translate(OnnxEmitter e, Mbv3Block block, string x, string path)
    {
        var h = OnnxEmitter.TryChild(block, "inverted_bottleneck") is null ? x : e.EmitChild(block, "inverted_bottleneck", x, path);
        h = e.EmitChild(block, "depth_conv", h, path);
        if (OnnxEmitter.TryChild(block, "se") is not null) h = e.EmitChild(block, "se", h, path);
        h = e.EmitChild(block, "point_linear", h, path);
        return block.Residual ? e.Node("Add", [h, x], path) : h;
    }
}

/// <summary>x · fc(mean over H, W): the spatial mean is GlobalAveragePool; fc ends in the h-sigmoid.</summary>
internal sealed class SqueezeExciteTranslator : ModuleTranslator<Mbv3Block.SqueezeExcite>
{
    protected override string Translate(OnnxEmitter e, Mbv3Block.SqueezeExcite se, string x, string path)
    {
        var squeezed = e.Node("GlobalAveragePool", [x], path + ".mean");
        return e.Node("Mul", [x, e.EmitChild(se, "fc", squeezed, path)], path);
    }
}
