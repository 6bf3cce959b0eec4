using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.TgNas.Graphs;

namespace NasSharp.TgNas.Tests;

/// <summary>The data-flow graph (zero ops removed, identity ops contracted, dead nodes dropped), checked by hand.</summary>
public class DataFlowGraphTests
{
    private static CellGraph Build(string arch, GraphMode mode = GraphMode.DataFlow) =>
        new TgNasGraphBuilder(Nb201Space.Instance, graphMode: mode).Build(Nb201Space.Instance.Parse(arch));

    private static string Edges(CellGraph g) => string.Join(" ", g.Edges.OrderBy(e => e.From).ThenBy(e => e.To).Select(e => $"{e.From}>{e.To}"));

    [Fact]
    public void A_skip_connection_becomes_an_edge()
    {
        // spec worked example arch 6111: the skip on 3←0 becomes input→output
        var g = Build("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        Assert.Equal(["Input", "Convolution 3 by 3", "Convolution 3 by 3", "Convolution 3 by 3", "Convolution 3 by 3", "Convolution 1 by 1", "Output"], g.NodeDescriptions);
        Assert.Equal("0>1 0>2 0>6 1>3 1>4 2>5 3>5 4>6 5>6", Edges(g));
    }

    [Fact]
    public void Zero_ops_and_the_nodes_they_cut_off_disappear()
    {
        var g = Build("|none~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
        Assert.Equal(["Input", "Convolution 3 by 3", "Convolution 1 by 1", "Output"], g.NodeDescriptions);
        Assert.Equal("0>1 0>3 1>2 2>3", Edges(g));
        // the conv on 1←0 feeds only zero ops, so it computes nothing the output sees
        var dead = Build("|nor_conv_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|");
        Assert.Equal(["Input", "Convolution 3 by 3", "Output"], dead.NodeDescriptions);
        Assert.Equal("0>1 1>2", Edges(dead));
    }

    [Fact]
    public void A_cell_whose_output_ignores_its_input_keeps_only_input_and_output()
    {
        var g = Build("|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|none~2|");
        Assert.Equal(["Input", "Output"], g.NodeDescriptions);
        Assert.Empty(g.Edges);
    }

    [Fact]
    public void Chained_skips_contract_to_one_edge_and_paper_mode_keeps_every_node()
    {
        var arch = "|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|";
        var g = Build(arch);
        Assert.Equal(["Input", "Output"], g.NodeDescriptions);
        Assert.Equal("0>1", Edges(g));
        Assert.Equal(8, Build(arch, GraphMode.Paper).NodeCount);
    }

    [Fact]
    public void Ops_on_nodes_graphs_are_left_alone()
    {
        // NB101 cells are drawn as the space defines them (the training graphs never change with the mode)
        var space = NasSharp.Spaces.Nb101.Nb101Space.Instance;
        var arch = space.Parse("0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output");
        var a = new TgNasGraphBuilder(space, graphMode: GraphMode.DataFlow).Build(arch);
        var b = new TgNasGraphBuilder(space, graphMode: GraphMode.Paper).Build(arch);
        Assert.Equal(b.NodeDescriptions, a.NodeDescriptions);
        Assert.Equal(Edges(b), Edges(a));
    }
}
