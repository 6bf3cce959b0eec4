using NasSharp.Export.Translation;
using NasSharp.Torch.Networks;
using static NasSharp.Export.Translation.OnnxEmitter;

namespace NasSharp.Export.Translators;

/// <summary>
/// DARTS' evaluation network in eval mode: drop-path is off and the auxiliary head (train-mode only) is not part of the graph.
/// Sep/dil convs are Sequentials of ReLU, grouped/dilated Conv2d and BN, written by the layer translators.
/// </summary>
internal static class DartsTranslators
{
    public static IEnumerable<IModuleTranslator> All =>
        [new DartsNetworkTranslator(), new DartsZeroTranslator(), new FactorizedReduceTranslator()];
}

/// <summary>s0 = s1 = stem(x); each cell maps (s0, s1) → (s1, cell(s0, s1)); global pool → classifier.</summary>
internal sealed class DartsNetworkTranslator : ModuleTranslator<DartsNetwork>
{
    protected override string Translate(OnnxEmitter e, DartsNetwork net, string x, string path)
    {
        var s0 = e.EmitChild(net, "stem", x, path);
        var s1 = s0;
        foreach (var (name, cell) in Child(net, "cells", path).named_children())
            (s0, s1) = (s1, DartsCellWriter.Write(e, (DartsCell)cell, s0, s1, $"{path}.cells.{name}"));
        var pooled = e.EmitChild(net, "global_pooling", s1, path);
        return e.EmitChild(net, "classifier", pooled, path);
    }
}

/// <summary>
/// A DARTS cell takes two inputs, so it is written by the network's translator rather than registered on its own:
/// states = [preprocess0(s0), preprocess1(s1)], node k+2 = op_2k(state) + op_2k+1(state), output = concat of the chosen states.
/// </summary>
internal static class DartsCellWriter
{
    public static string Write(OnnxEmitter e, DartsCell cell, string s0, string s1, string path)
    {
        var states = new List<string> { e.EmitChild(cell, "preprocess0", s0, path), e.EmitChild(cell, "preprocess1", s1, path) };
        var ops = Child(cell, "_ops", path);
        var inputs = cell.OpInputs;
        for (int k = 0; k < inputs.Count; k += 2)
        {
            var h1 = e.EmitChild(ops, $"{k}", states[inputs[k]], $"{path}._ops");
            var h2 = e.EmitChild(ops, $"{k + 1}", states[inputs[k + 1]], $"{path}._ops");
            states.Add(e.Node("Add", [h1, h2], $"{path}.node{states.Count}"));
        }
        return e.Node("Concat", cell.ConcatStates.Select(i => states[i]), $"{path}.concat", Int("axis", 1));
    }
}

/// <summary>DARTS 'none': x·0, after a stride-s subsampling x[:, :, ::s, ::s] on reduction edges.</summary>
internal sealed class DartsZeroTranslator : ModuleTranslator<DartsOps.Zero>
{
    protected override string Translate(OnnxEmitter e, DartsOps.Zero zero, string x, string path)
    {
        var v = zero.Stride == 1 ? x : e.Slice(x, [0, 0], [long.MaxValue, long.MaxValue], [2, 3], [zero.Stride, zero.Stride], path + ".subsample");
        return e.Zeros(v, path);
    }
}

/// <summary>relu(x) → [conv_1(r), conv_2(r[:, :, 1:, 1:])] concatenated on channels → bn.</summary>
internal sealed class FactorizedReduceTranslator : ModuleTranslator<DartsOps.FactorizedReduce>
{
    protected override string Translate(OnnxEmitter e, DartsOps.FactorizedReduce m, string x, string path)
    {
        var r = e.EmitChild(m, "relu", x, path);
        var shifted = e.Slice(r, [1, 1], [long.MaxValue, long.MaxValue], [2, 3], [1, 1], path + ".shift");
        var both = e.Node("Concat", [e.EmitChild(m, "conv_1", r, path), e.EmitChild(m, "conv_2", shifted, path)], path + ".concat", Int("axis", 1));
        return e.EmitChild(m, "bn", both, path);
    }
}
