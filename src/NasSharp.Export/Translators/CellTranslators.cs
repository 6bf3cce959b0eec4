using NasSharp.Export.Translation;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Networks.Cells;
using NasSharp.Torch.Networks.Nb201;
using static NasSharp.Export.Translation.OnnxEmitter;

namespace NasSharp.Export.Translators;

/// <summary>The generic cell builders (CellNetwork, EdgeOpCell, NodeOpCell) and NB201's ResNet reduction block.</summary>
internal static class CellTranslators
{
    public static IEnumerable<IModuleTranslator> All =>
        [new CellNetworkTranslator(), new EdgeOpCellTranslator(), new NodeOpCellTranslator(), new ResNetBasicBlockTranslator()];
}

/// <summary>stem → cells in order → lastact → global pool → classifier (Linear emits the flatten).</summary>
internal sealed class CellNetworkTranslator : ModuleTranslator<CellNetwork>
{
    protected override string Translate(OnnxEmitter e, CellNetwork net, string x, string path)
    {
        var v = e.EmitChild(net, "stem", x, path);
        foreach (var (name, cell) in Child(net, "cells", path).named_children()) v = e.Emit(cell, v, $"{path}.cells.{name}");
        v = e.EmitChild(net, "lastact", v, path);
        v = e.EmitChild(net, "global_pooling", v, path);
        return e.EmitChild(net, "classifier", v, path);
    }
}

/// <summary>
/// Node j = Σ op_{j←i}(node i) over the edges "j&lt;-i" (in increasing i, the order the module sums them); a node with no live
/// input is x·0, as the module's zeros_like.
/// </summary>
internal sealed class EdgeOpCellTranslator : ModuleTranslator<EdgeOpCell>
{
    protected override string Translate(OnnxEmitter e, EdgeOpCell cell, string x, string path)
    {
        var edges = Child(cell, "edges", path).named_children()
            .Select(c => (Key: c.name, Module: c.module, To: int.Parse(c.name.Split("<-")[0]), From: int.Parse(c.name.Split("<-")[1])))
            .ToList();
        var nodes = new string[cell.NodeCount];
        nodes[0] = x;
        for (int j = 1; j < cell.NodeCount; j++)
        {
            string? sum = null;
            foreach (var edge in edges.Where(c => c.To == j).OrderBy(c => c.From))
            {
                var term = e.Emit(edge.Module, nodes[edge.From], $"{path}.edges.{edge.Key}");
                sum = sum is null ? term : e.Node("Add", [sum, term], $"{path}.node{j}");
            }
            nodes[j] = sum ?? e.Zeros(x, $"{path}.node{j}");
        }
        return nodes[^1];
    }
}

/// <summary>
/// NB101's wiring (see <see cref="NodeOpCell"/>): interior node t = op_t(Σ truncated interior inputs + projection of the cell
/// input); the output concatenates the interior nodes that feed it, plus the projected cell input when that feeds it too.
/// </summary>
internal sealed class NodeOpCellTranslator : ModuleTranslator<NodeOpCell>
{
    protected override string Translate(OnnxEmitter e, NodeOpCell cell, string x, string path)
    {
        int n = cell.NodeCount;
        var channels = cell.VertexChannelCounts;
        var ops = Child(cell, "ops", path);
        var projections = TryChild(cell, "projections");
        var values = new string[n];
        values[0] = x;
        var concat = new List<string>();
        for (int t = 1; t < n - 1; t++)
        {
            string? sum = null;
            for (int s = 1; s < t; s++)
                if (cell.HasEdge(s, t))
                {
                    // narrow(1, 0, C_t): the target takes the source's first channels.
                    var term = channels[s] == channels[t] ? values[s]
                        : e.Slice(values[s], [0], [channels[t]], [1], [1], $"{path}.truncate{s}to{t}");
                    sum = Add(e, sum, term, $"{path}.sum{t}");
                }
            if (cell.HasEdge(0, t)) sum = Add(e, sum, e.EmitChild(projections!, $"{t}", x, $"{path}.projections"), $"{path}.sum{t}");
            values[t] = e.EmitChild(ops, $"{t}", sum!, $"{path}.ops");
            if (cell.HasEdge(t, n - 1)) concat.Add(values[t]);
        }
        var inputProjection = cell.HasEdge(0, n - 1) ? e.EmitChild(projections!, "output", x, $"{path}.projections") : null;
        if (concat.Count == 0) return inputProjection!;
        var output = concat.Count == 1 ? concat[0] : e.Node("Concat", concat, $"{path}.concat", Int("axis", 1));
        return inputProjection is null ? output : e.Node("Add", [output, inputProjection], path);
    }

    private static string Add(OnnxEmitter e, string? sum, string term, string hint) => sum is null ? term : e.Node("Add", [sum, term], hint);
}

/// <summary>conv_b(conv_a(x)) + downsample(x).</summary>
internal sealed class ResNetBasicBlockTranslator : ModuleTranslator<ResNetBasicBlock>
{
    protected override string Translate(OnnxEmitter e, ResNetBasicBlock block, string x, string path)
    {
        var main = e.EmitChild(block, "conv_b", e.EmitChild(block, "conv_a", x, path), path);
        return e.Node("Add", [main, e.EmitChild(block, "downsample", x, path)], path);
    }
}
