using NasSharp.Torch.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Cells;

/// <summary>
/// A generic cell with operations on the edges of a DAG over nodes 0..n-1: node 0 is the cell input,
/// node j = Σ op_{j←i}(node i) over its incoming edges, and the cell output is the last node (AutoDL's InferCell).
/// <para>
/// Zero ops ("none") build no module and add nothing. A node with no remaining input outputs zeros of the input's shape,
/// so a cell whose output is cut off from its input (a disconnected NB201 cell) still builds and runs and returns zeros —
/// exactly what AutoDL's <c>x.mul(0)</c> gives for finite inputs. Every non-zero edge is computed, even one feeding a node that
/// never reaches the output, so parameter counts and BN statistics match the benchmark's network.
/// </para>
/// Submodules live in <c>edges</c> keyed "to&lt;-from" (as in AutoDL) and are invoked with <c>call</c>, so forward hooks fire.
/// </summary>
public sealed class EdgeOpCell : Module<Tensor, Tensor>
{
    private readonly ModuleDict<Module<Tensor, Tensor>> edges;
    // For node j: the modules of its live incoming edges and their source nodes (cached for a loop-free forward).
    private readonly (int From, Module<Tensor, Tensor> Op)[][] inputs;

    public EdgeOpCell(int nodeCount, IReadOnlyList<CellEdge> cellEdges, long channels, EdgeOpFactory factory) : base(nameof(EdgeOpCell))
    {
        if (nodeCount < 2) throw new NasInputException($"A cell needs at least 2 nodes (input and output), got {nodeCount}.");
        NodeCount = nodeCount;
        edges = new ModuleDict<Module<Tensor, Tensor>>();
        var perNode = Enumerable.Range(0, nodeCount).Select(_ => new List<(int, Module<Tensor, Tensor>)>()).ToArray();
        foreach (var e in cellEdges)
        {
            if (e.From < 0 || e.To >= nodeCount || e.From >= e.To)
                throw new NasInputException($"Cell edge {e.From}->{e.To} is not a forward edge of a {nodeCount}-node cell.");
            var op = factory(e.Op, channels);
            if (op is null) continue;
            var key = $"{e.To}<-{e.From}";
            if (edges.ContainsKey(key)) throw new NasInputException($"Cell has two edges {key}; one op per edge is supported.");
            edges.Add(key, op);
            perNode[e.To].Add((e.From, op));
        }
        inputs = perNode.Select(l => l.ToArray()).ToArray();
        RegisterComponents();
    }

    public int NodeCount { get; }

    /// <summary>True when the output node has no path of non-zero edges from the input: the cell outputs zeros.</summary>
    public bool IsDisconnected
    {
        get
        {
            var reach = new bool[NodeCount];
            reach[0] = true;
            for (int j = 1; j < NodeCount; j++) reach[j] = inputs[j].Any(i => reach[i.From]);
            return !reach[^1];
        }
    }

    public override Tensor forward(Tensor x)
    {
        var nodes = new Tensor[NodeCount];
        nodes[0] = x;
        for (int j = 1; j < NodeCount; j++)
        {
            var ins = inputs[j];
            if (ins.Length == 0) { nodes[j] = zeros_like(x); continue; }
            var sum = ins[0].Op.call(nodes[ins[0].From]);
            for (int k = 1; k < ins.Length; k++) sum = sum.Plus(ins[k].Op.call(nodes[ins[k].From]));
            nodes[j] = sum;
        }
        return nodes[^1];
    }
}
