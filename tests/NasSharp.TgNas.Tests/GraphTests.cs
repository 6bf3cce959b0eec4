using NasSharp.Spaces;
using NasSharp.Spaces.Nb101;
using NasSharp.Spaces.Nb201;
using NasSharp.TgNas.Graphs;

namespace NasSharp.TgNas.Tests;

public class GraphTests
{
    private const string Arch6111 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    [Fact]
    public void Nb201_graph_matches_the_hand_derived_matrix_of_the_spec()
    {
        var builder = new TgNasGraphBuilder(Nb201Space.Instance, graphMode: GraphMode.Paper);
        var table = new OperatorTable(builder.Descriptions.Values, SharedEncoder.Cache);
        var g = builder.Build(Nb201Space.Instance.Parse(Arch6111));
        Assert.Equal(["Input", "Convolution 3 by 3", "Convolution 3 by 3", "Convolution 3 by 3", "Residual connection", "Convolution 3 by 3", "Convolution 1 by 1", "Output"], g.NodeDescriptions);
        var batch = GraphBatch.Encode([g], table);
        Assert.Equal(9, batch.Nodes);
        // spec §3.3 worked example (rows = receivers, columns = senders, last row = global node)
        string[] expected =
        [
            "100000000", "110000000", "101000000", "010100000", "100010000",
            "010001000", "001100100", "000011110", "111111111",
        ];
        for (int r = 0; r < 9; r++)
            Assert.Equal(expected[r], string.Concat(Enumerable.Range(0, 9).Select(c => batch.Adjacency[r * 9 + c] == 1f ? '1' : '0')));
        Assert.Equal(OperatorTable.GlobalRow, batch.Ops[8]);
        Assert.Equal(table.RowOf("Residual connection"), batch.Ops[4]);
    }

    [Fact]
    public void Operator_table_has_padding_global_flag_and_unit_embeddings()
    {
        var table = new OperatorTable(["Input", "None"], SharedEncoder.Cache);
        Assert.Equal(385, OperatorTable.Width);
        Assert.All(table.Row(OperatorTable.PadRow), v => Assert.Equal(0f, v));
        var global = table.Row(OperatorTable.GlobalRow);
        Assert.Equal(1f, global[384]);
        Assert.Equal(0f, global.Take(384).Sum(Math.Abs));
        var none = table.Row(table.RowOf("None"));
        Assert.Equal(0f, none[384]);
        Assert.Equal(1.0, Math.Sqrt(none.Take(384).Sum(x => (double)x * x)), 4);
    }

    [Fact]
    public void Small_nb101_cell_is_padded_to_seven_plus_global()
    {
        // input -> conv3x3 -> output (3 nodes): padded nodes 3..6 have self-loops only and feed the global node 7
        var arch = Nb101Space.Instance.Parse("011001000:input,conv3x3-bn-relu,output");
        var builder = new TgNasGraphBuilder(Nb101Space.Instance);
        var table = new OperatorTable(builder.Descriptions.Values, SharedEncoder.Cache);
        var batch = GraphBatch.Encode([builder.Build(arch)], table);
        Assert.Equal(8, batch.Nodes);
        Assert.Equal([table.RowOf("Input"), table.RowOf("Convolution 3 by 3"), table.RowOf("Output"), 0, 0, 0, 0, OperatorTable.GlobalRow], batch.Ops);
        string Row(int r) => string.Concat(Enumerable.Range(0, 8).Select(c => batch.Adjacency[r * 8 + c] == 1f ? '1' : '0'));
        Assert.Equal("10000000", Row(0));
        Assert.Equal("11000000", Row(1));
        Assert.Equal("11100000", Row(2)); // 0->2 and 1->2
        Assert.Equal("00010000", Row(3));
        Assert.Equal("11111111", Row(7));
    }

    [Fact]
    public void Unknown_operator_without_description_is_a_clear_input_error()
    {
        var arch = new Architecture("nb201", 2, [new ArchEdge(0, 1, "mystery_op")]);
        var e = Assert.Throws<NasInputException>(() => new TgNasGraphBuilder(Nb201Space.Instance).Build(arch));
        Assert.Contains("mystery_op", e.Message);
        Assert.Contains("--op", e.Message);
    }

    [Fact]
    public void User_described_operator_is_accepted()
    {
        var arch = new Architecture("nb201", 2, [new ArchEdge(0, 1, "mystery_op")]);
        var g = new TgNasGraphBuilder(Nb201Space.Instance, new Dictionary<string, string> { ["mystery_op"] = "Depth-wise separable convolution 5 by 5" }).Build(arch);
        Assert.Equal(["Input", "Depth-wise separable convolution 5 by 5", "Output"], g.NodeDescriptions);
    }
}
