using NasSharp.Spaces.Darts;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;

namespace NasSharp.TgNas.Tests;

/// <summary>DARTS genotype → TG-NAS graph (docs/tgnas.md "DARTS"): hand-checked wiring, modes, relabelling invariance.</summary>
public sealed class DartsGraphTests
{
    // Inputs are listed in increasing order inside each node, so the genotype survives the Architecture round trip unchanged.
    private const string Small =
        "Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1), ('max_pool_3x3', 0), ('sep_conv_3x3', 2), " +
        "('avg_pool_3x3', 1), ('dil_conv_3x3', 3), ('sep_conv_5x5', 0), ('dil_conv_5x5', 4)], normal_concat=[2, 3, 4, 5], " +
        "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('avg_pool_3x3', 0), ('skip_connect', 2), ('max_pool_3x3', 1), " +
        "('sep_conv_3x3', 3), ('dil_conv_3x3', 0), ('skip_connect', 2)], reduce_concat=[2, 3, 4, 5])";

    private static string Sorted(IEnumerable<(int From, int To)> edges) =>
        string.Join(" ", edges.OrderBy(e => e.From).ThenBy(e => e.To).Select(e => $"{e.From}>{e.To}"));

    [Fact]
    public void Both_cells_graph_of_a_small_genotype_matches_the_hand_derived_wiring()
    {
        var builder = new TgNasGraphBuilder(DartsSpace.Instance, dartsMode: DartsGraphMode.Both);
        var g = builder.Build(DartsSpace.Instance.Parse(Small));
        Assert.Equal(
            ["Input", "Input",
             "Depth-wise separable convolution 3 by 3", "Residual connection", "Max pooling 3 by 3", "Depth-wise separable convolution 3 by 3",
             "Average pooling 3 by 3", "Dilated convolution 3 by 3", "Depth-wise separable convolution 5 by 5", "Dilated convolution 5 by 5",
             "Output",
             "Max pooling 3 by 3", "Max pooling 3 by 3", "Average pooling 3 by 3", "Residual connection",
             "Max pooling 3 by 3", "Depth-wise separable convolution 3 by 3", "Dilated convolution 3 by 3", "Residual connection",
             "Output"],
            g.NodeDescriptions);
        // Normal cell: entry i is node 2+i; input 0/1 = nodes 0/1; input m ≥ 2 = both op-nodes of intermediate node m.
        var normal = new List<(int, int)> { (0, 2), (1, 3), (0, 4), (2, 5), (3, 5), (1, 6), (4, 7), (5, 7), (0, 8), (6, 9), (7, 9) };
        // Reduction cell: its c_{k-2} is node 1, its c_{k-1} the normal cell's output (10); entry i is node 11+i.
        var reduce = new List<(int, int)> { (1, 11), (10, 12), (1, 13), (11, 14), (12, 14), (10, 15), (13, 16), (14, 16), (1, 17), (11, 18), (12, 18) };
        var outputs = Enumerable.Range(2, 8).Select(i => (i, 10)).Concat(Enumerable.Range(11, 8).Select(i => (i, 19)));
        Assert.Equal(Sorted(normal.Concat(reduce).Concat(outputs)), Sorted(g.Edges));
    }

    [Fact]
    public void Modes_give_the_released_normal_cell_graph_both_cells_or_two_cell_graphs()
    {
        var arch = DartsSpace.Instance.Parse(Small);
        var normal = new TgNasGraphBuilder(DartsSpace.Instance, dartsMode: DartsGraphMode.Normal);
        var both = new TgNasGraphBuilder(DartsSpace.Instance, dartsMode: DartsGraphMode.Both);
        var mean = new TgNasGraphBuilder(DartsSpace.Instance, dartsMode: DartsGraphMode.Mean);
        Assert.Equal(11, normal.Build(arch).NodeCount);
        Assert.Equal(12, TgNasGraphBuilder.EncodedNodes(normal.Build(arch).NodeCount)); // spec: N = 12 for DARTS
        Assert.Equal(20, both.Build(arch).NodeCount);
        Assert.Equal(2, mean.ViewsPerArchitecture);
        var views = mean.BuildViews(arch);
        Assert.Equal(normal.Build(arch).NodeDescriptions, views[0].NodeDescriptions);
        Assert.Equal("Max pooling 3 by 3", views[1].NodeDescriptions[2]); // the reduction cell's first entry
        Assert.Throws<InvalidOperationException>(() => mean.Build(arch));
        // the normal-cell graph is the first 11 nodes of the both-cells graph
        Assert.Equal(normal.Build(arch).NodeDescriptions, both.Build(arch).NodeDescriptions.Take(11));
    }

    [Fact]
    public void A_multi_op_supernet_is_refused_with_a_pointer_to_evolve()
    {
        var arch = DartsSpace.Instance.Parse(Small);
        var extra = arch.Edges.Append(new NasSharp.Spaces.ArchEdge(0, 2, "avg_pool_3x3"));
        var supernet = new NasSharp.Spaces.Architecture("darts", arch.NodeCount, extra);
        var e = Assert.Throws<NasInputException>(() => new TgNasGraphBuilder(DartsSpace.Instance).Build(supernet));
        Assert.Contains("--strategy evolve", e.Message);
    }

    [Theory]
    [InlineData(DartsGraphMode.Normal)]
    [InlineData(DartsGraphMode.Both)]
    [InlineData(DartsGraphMode.Mean)]
    public void Scores_are_invariant_to_relabelling_and_change_with_an_op(DartsGraphMode mode)
    {
        TorchSharp.torch.manual_seed(11);
        var config = new TgNasConfig { TargetMean = 90, TargetStd = 5 };
        using var predictor = new TgNasPredictor(config, [new GcnNetwork(config)]);
        var scorer = new TgNasScorer(predictor, DartsSpace.Instance, cache: SharedEncoder.Cache, dartsMode: mode);
        var g = DartsSpace.ToGenotype(DartsSpace.Instance.Parse(Small));

        // Relabelling 1: swap the two entries of every node (a node sums its inputs; the entry order is a labelling).
        static IReadOnlyList<DartsEntry> SwapPairs(IReadOnlyList<DartsEntry> c) => Enumerable.Range(0, 8).Select(i => c[i ^ 1]).ToArray();
        // Relabelling 2: exchange intermediate nodes 2 and 3 of the normal cell and rename every reference (valid when node 3
        // does not read node 2: in DARTS-V1 both read only c_{k-2}/c_{k-1}, with different ops, and node 5 reads node 2).
        var v2 = DartsGenotype.DartsV1;
        static int Rename(int i) => i == 2 ? 3 : i == 3 ? 2 : i;
        var n = v2.Normal;
        var swapped = new[] { n[2], n[3], n[0], n[1], n[4], n[5], n[6], n[7] }.Select(e => e with { Input = Rename(e.Input) }).ToArray();
        var changed = g.Normal.Select((e, i) => i == 0 ? e with { Op = "dil_conv_5x5" } : e).ToArray();

        double[] s = scorer.MeanOfViews(new[]
        {
            g, g with { Normal = SwapPairs(g.Normal), Reduce = SwapPairs(g.Reduce) },
            v2, v2 with { Normal = swapped },
            g with { Normal = changed },
        }.Select(scorer.Builder.BuildDarts).ToArray());
        Assert.Equal(s[0], s[1], 4);
        Assert.Equal(s[2], s[3], 4);
        Assert.True(Math.Abs(s[0] - s[4]) > 1e-4, $"changing an op left the score at {s[0]}");
    }
}
