using NasSharp.Spaces;
using NasSharp.Spaces.UserDefined;
using NasSharp.Torch.Networks;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>Networks of user-defined spaces (UserSpaceNetwork through NetworkFactory), both op placements, at C = 8 and 1 cell per stage.</summary>
public class UserSpaceExportTests
{
    private const string Ops = """
        [
          { "name": "none",  "description": "None",                       "primitive": "zero" },
          { "name": "skip",  "description": "Residual connection",        "primitive": "identity" },
          { "name": "conv3", "description": "Convolution 3 by 3",         "primitive": "conv", "kernel": 3 },
          { "name": "sep5",  "description": "Separable convolution 5 by 5", "primitive": "sep_conv", "kernel": 5 },
          { "name": "dil3",  "description": "Dilated convolution 3 by 3", "primitive": "dil_conv", "kernel": 3, "dilation": 3 },
          { "name": "avg5",  "description": "Average pooling 5 by 5",     "primitive": "avg_pool", "kernel": 5 },
          { "name": "max3",  "description": "Max pooling 3 by 3",         "primitive": "max_pool", "kernel": 3 }
        ]
        """;

    private static UserSpace Space(string name, string placement, int nodes, string edges)
    {
        var space = UserSpace.FromJson($$"""{ "name": "{{name}}", "placement": "{{placement}}", "nodes": {{nodes}}, "edges": {{edges}}, "ops": {{Ops}} }""");
        SearchSpaces.Register(space);
        return space;
    }

    private static nn.Module<Tensor, Tensor> Network(UserSpace space, string arch, int seed)
    {
        manual_seed(seed);
        return WithBnStatistics(NetworkFactory.Create(space.Parse(arch), new NetworkOptions { Nb201StemChannels = 8, Nb201CellsPerStage = 1 }));
    }

    [Theory]
    [InlineData("|sep5~0|+|dil3~0|max3~1|+|avg5~0|none~1|conv3~2|+|skip~1|conv3~2|sep5~3|")]
    [InlineData("|none~0|+|none~0|skip~1|+|avg5~0|max3~1|none~2|+|none~1|dil3~2|none~3|")]
    public void EdgeSpace_MatchesTorchSharp(string arch)
    {
        var space = Space("export_edges", "edges", 5, "[[0,1],[0,2],[1,2],[0,3],[1,3],[2,3],[1,4],[2,4],[3,4]]");
        AssertMatches(ExportAndRun(Network(space, arch, seed: 1)));
    }

    [Theory]
    [InlineData("|sep5|+|max3|+|dil3|")]
    [InlineData("|conv3|+|none|+|avg5|")] // zero on a node: a module of zeros
    public void NodeSpace_MatchesTorchSharp(string arch)
    {
        var space = Space("export_nodes", "nodes", 5, "\"all\"");
        AssertMatches(ExportAndRun(Network(space, arch, seed: 2)));
    }
}
