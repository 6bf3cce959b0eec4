using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.Spaces.UserDefined;
using NasSharp.Torch.Networks;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests.Spaces;

/// <summary>Networks of user-defined spaces (primitives → modules on the NB201 / NB101 skeletons).</summary>
public class UserSpaceNetworkTests
{
    // NB201's five ops written as user primitives: the user network must be NB201's network, parameter for parameter.
    private const string Nb201Copy = """
        { "name": "nb201_copy_net", "placement": "edges", "nodes": 4, "edges": "all",
          "ops": [ { "name": "none", "description": "None", "primitive": "zero" },
                   { "name": "skip_connect", "description": "Residual connection", "primitive": "identity" },
                   { "name": "nor_conv_1x1", "description": "Convolution 1 by 1", "primitive": "conv", "kernel": 1 },
                   { "name": "nor_conv_3x3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                   { "name": "avg_pool_3x3", "description": "Average pooling 3 by 3", "primitive": "avg_pool", "kernel": 3 } ] }
        """;

    private const string NodeSpace = """
        { "name": "node_cell_net", "placement": "nodes", "nodes": 5, "edges": [[0,1],[0,2],[1,3],[2,3],[3,4],[1,4]],
          "ops": [ { "name": "conv3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                   { "name": "sep5", "description": "Depth-wise separable convolution 5 by 5", "primitive": "sep_conv", "kernel": 5 },
                   { "name": "zero", "description": "None", "primitive": "zero" } ] }
        """;

    private static UserSpace Register(string json)
    {
        var space = UserSpace.FromJson(json, "test.json");
        SearchSpaces.Register(space);
        return space;
    }

    [Theory]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|")]
    [InlineData("|avg_pool_3x3~0|+|none~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|")]
    public void Nb201_written_as_primitives_builds_the_nb201_network(string arch)
    {
        var space = Register(Nb201Copy);
        using var user = NetworkFactory.Create(space.Parse(arch));
        using var nb201 = NetworkFactory.Create(Nb201Space.Instance.Parse(arch));
        Assert.Equal(nb201.ParameterCount(), user.ParameterCount());
        Assert.Equal(nb201.parameters().Select(p => string.Join("x", p.shape)), user.parameters().Select(p => string.Join("x", p.shape)));
    }

    [Fact]
    public void Example_space_network_with_unseen_ops_runs_and_counts_its_dilated_conv()
    {
        var space = UserSpace.Load(Path.Combine(RepoRoot(), "docs", "examples", "user_space.json"));
        SearchSpaces.Register(space);
        var options = new NetworkOptions { InputChannels = 1, Nb201StemChannels = 4, Nb201CellsPerStage = 1 };
        var allDil = space.Parse("|dil5~0|+|dil5~0|dil5~1|+|dil5~0|dil5~1|dil5~2|");
        var allPool = space.Parse("|maxpool5~0|+|maxpool5~0|maxpool5~1|+|maxpool5~0|maxpool5~1|maxpool5~2|");
        using var dil = NetworkFactory.Create(allDil, options);
        using var pool = NetworkFactory.Create(allPool, options);
        // A dil_conv k=5 at C channels: depth-wise C·25 + point-wise C·C + BN 2C; 6 edges per cell, one cell at C = 4, 8, 16.
        long perCell(long c) => 6 * (c * 25 + c * c + 2 * c);
        Assert.Equal(perCell(4) + perCell(8) + perCell(16), dil.ParameterCount() - pool.ParameterCount());
        manual_seed(0);
        using var x = randn(2, 1, 28, 28);
        dil.eval();
        using var y = dil.call(x);
        Assert.Equal([2L, 10L], y.shape);
        Assert.True(y.isfinite().all().item<bool>());
    }

    [Fact]
    public void Node_placement_builds_nb101_style_cells_with_a_zero_node()
    {
        var space = Register(NodeSpace);
        var options = new NetworkOptions { Nb201StemChannels = 8, Nb201CellsPerStage = 1 };
        using var net = NetworkFactory.Create(space.Parse("|sep5|+|zero|+|conv3|"), options);
        using var x = randn(2, 3, 16, 16);
        net.eval();
        using var y = net.call(x);
        Assert.Equal([2L, 10L], y.shape);
        Assert.True(y.isfinite().all().item<bool>());
    }

    [Fact]
    public void Architecture_of_an_unregistered_space_is_a_clear_error()
    {
        var arch = new Architecture("no_such_user_space", 2, [new ArchEdge(0, 1, "x")]);
        var e = Assert.Throws<NasInputException>(() => NetworkFactory.Create(arch));
        Assert.Contains("--space-file", e.Message);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NasSharp.slnx")) && !Directory.Exists(Path.Combine(dir.FullName, ".git"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root not found");
    }
}
