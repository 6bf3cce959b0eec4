using NasSharp.Torch.Interop;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Torch.Networks.Cells;

/// <summary>
/// Turns a node operation name into a module mapping C channels to C channels at the same resolution
/// (NB101: conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3). Throws <see cref="NasInputException"/> for an unknown name.
/// </summary>
public delegate Module<Tensor, Tensor> NodeOpFactory(string op, long channels);

/// <summary>
/// A generic cell with operations on the nodes of a DAG, wired by NAS-Bench-101's rules (nasbench model_builder.build_module):
/// <list type="bullet">
/// <item>Node 0 is the cell input, the last node the output; interior node t applies its op to the sum of its inputs.</item>
/// <item>Channels (compute_vertex_channels): the output channels are split evenly over the interior nodes that feed the
///   output (the first <c>out % k</c> of them get one extra); other interior nodes take the maximum of their successors.</item>
/// <item>An edge from the cell input to an interior node goes through a 1×1 Conv-BN-ReLU projection to that node's channels;
///   an edge between interior nodes truncates the source to the first channels the target needs.</item>
/// <item>The output concatenates its interior inputs along channels, plus a projection of the cell input when the input
///   feeds the output directly (added, not concatenated). A 2-node cell is just that projection.</item>
/// </list>
/// The DAG must already be pruned (every node on an input→output path), as NB101 stores its cells.
/// </summary>
public sealed class NodeOpCell : Module<Tensor, Tensor>
{
    private readonly ModuleDict<Module<Tensor, Tensor>> ops, projections;
    private readonly bool[,] adj;
    private readonly long[] vertexChannels;
    private readonly int n;
    private readonly Module<Tensor, Tensor>?[] opOf, projOf;
    private readonly Module<Tensor, Tensor>? outputProjection;

    public NodeOpCell(bool[,] adjacency, IReadOnlyList<string> nodeOps, long inChannels, long outChannels, NodeOpFactory factory, bool batchNorm)
        : base(nameof(NodeOpCell))
    {
        n = nodeOps.Count;
        if (n < 2 || adjacency.GetLength(0) != n || adjacency.GetLength(1) != n)
            throw new NasInputException($"A node-op cell needs an n×n adjacency for its n ≥ 2 ops; got {adjacency.GetLength(0)}×{adjacency.GetLength(1)} for {n} ops.");
        adj = (bool[,])adjacency.Clone();
        vertexChannels = VertexChannels(inChannels, outChannels, adj);
        ops = new ModuleDict<Module<Tensor, Tensor>>();
        projections = new ModuleDict<Module<Tensor, Tensor>>();
        opOf = new Module<Tensor, Tensor>?[n];
        projOf = new Module<Tensor, Tensor>?[n];
        if (n == 2)
        {
            if (!adj[0, 1]) throw new NasInputException("A 2-node cell must connect its input to its output.");
        }
        for (int t = 1; t < n - 1; t++)
        {
            if (adj[0, t])
            {
                projOf[t] = Layers.ConvBnRelu(inChannels, vertexChannels[t], 1, batchNorm);
                projections.Add($"{t}", projOf[t]!);
            }
            opOf[t] = factory(nodeOps[t], vertexChannels[t]);
            ops.Add($"{t}", opOf[t]!);
        }
        if (adj[0, n - 1])
        {
            outputProjection = Layers.ConvBnRelu(inChannels, outChannels, 1, batchNorm);
            projections.Add("output", outputProjection);
        }
        RegisterComponents();
    }

    public int NodeCount => n;

    /// <summary>Whether the cell DAG has the edge <paramref name="from"/> → <paramref name="to"/> (the ONNX exporter rebuilds the wiring from it).</summary>
    public bool HasEdge(int from, int to) => adj[from, to];

    /// <summary>Channels of each node (NB101's compute_vertex_channels); [0] = cell input, [n-1] = cell output.</summary>
    public IReadOnlyList<long> VertexChannelCounts => vertexChannels;

    public override Tensor forward(Tensor x)
    {
        var values = new Tensor[n];
        values[0] = x;
        var concat = new List<Tensor>();
        for (int t = 1; t < n - 1; t++)
        {
            Tensor? sum = null;
            for (int s = 1; s < t; s++)
                if (adj[s, t]) sum = Add(sum, Truncate(values[s], vertexChannels[t]));
            if (adj[0, t]) sum = Add(sum, projOf[t]!.call(x));
            values[t] = opOf[t]!.call(sum!);
            if (adj[t, n - 1]) concat.Add(values[t]);
        }
        if (concat.Count == 0) return outputProjection!.call(x);
        var output = concat.Count == 1 ? concat[0] : cat(concat, dim: 1);
        return outputProjection is null ? output : output.Plus(outputProjection.call(x));
    }

    private static Tensor Add(Tensor? sum, Tensor t) => sum is null ? t : sum.Plus(t);

    private static Tensor Truncate(Tensor t, long channels)
    {
        long have = t.shape[1];
        if (have == channels) return t;
        if (have < channels) throw new InvalidOperationException($"cannot truncate {have} channels to {channels}");
        return t.narrow(1, 0, channels);
    }

    /// <summary>NB101's compute_vertex_channels (its sanity checks become <see cref="NasInputException"/>s).</summary>
    public static long[] VertexChannels(long inChannels, long outChannels, bool[,] adj)
    {
        int n = adj.GetLength(0);
        var vc = new long[n];
        vc[0] = inChannels;
        vc[n - 1] = outChannels;
        if (n == 2) return vc;
        int inDegreeOfOutput = 0;
        for (int v = 1; v < n - 1; v++) if (adj[v, n - 1]) inDegreeOfOutput++;
        if (inDegreeOfOutput == 0)
            throw new NasInputException("Cell has interior nodes but none of them feeds the output; prune the cell first.");
        long interior = outChannels / inDegreeOfOutput, correction = outChannels % inDegreeOfOutput;
        for (int v = 1; v < n - 1; v++)
            if (adj[v, n - 1])
            {
                vc[v] = interior;
                if (correction > 0) { vc[v]++; correction--; }
            }
        for (int v = n - 3; v > 0; v--)
        {
            if (!adj[v, n - 1])
                for (int dst = v + 1; dst < n - 1; dst++)
                    if (adj[v, dst]) vc[v] = Math.Max(vc[v], vc[dst]);
            if (vc[v] <= 0) throw new NasInputException($"Cell node {v} does not lead to the output; prune the cell first.");
        }
        return vc;
    }
}
