using NasSharp.Search;
using NasSharp.Spaces.Darts;
using NasSharp.Spaces.Mbv3;
using NasSharp.Spaces.UserDefined;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;
using NasSharp.TgNas.Search;

namespace NasSharp.TgNas.Tests;

/// <summary>TG-NAS on the spaces beyond NB101/NB201: MobileNetV3 (resolution as a described input), user-defined spaces, DARTS search.</summary>
public sealed class SpaceScoringTests : IDisposable
{
    private readonly string _weights = Path.GetTempFileName();

    public SpaceScoringTests()
    {
        TorchSharp.torch.manual_seed(3);
        var config = new TgNasConfig { TargetMean = 90, TargetStd = 5 };
        new TgNasPredictor(config, [new GcnNetwork(config)]).Save(_weights);
    }

    public void Dispose() => File.Delete(_weights);

    private const string UserJson = """
        { "name": "tgnas_test_cell", "placement": "edges", "nodes": 4, "edges": "all",
          "ops": [ { "name": "none", "description": "None", "primitive": "zero" },
                   { "name": "conv3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                   { "name": "wide7", "description": "Depth-wise separable convolution 7 by 7 with a wide receptive field", "primitive": "sep_conv", "kernel": 7 } ] }
        """;

    [Fact]
    public void Mbv3_input_node_carries_the_resolution_in_its_description()
    {
        var builder = new TgNasGraphBuilder(Mbv3Space.Instance);
        var a = Mbv3Space.Instance.Parse("ks=[3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0] e=[3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0] d=[2,2,2,2,2] r=160");
        var b = Mbv3Space.Instance.Parse("ks=[3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0] e=[3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0,3,3,0,0] d=[2,2,2,2,2] r=224");
        var ga = builder.Build(a);
        Assert.Equal(22, ga.NodeCount);
        Assert.Equal("Input image of resolution 160 by 160", ga.NodeDescriptions[0]);
        Assert.Equal("Input image of resolution 224 by 224", builder.Build(b).NodeDescriptions[0]);
        Assert.Equal("Inverted residual block, convolution 3 by 3, expand ratio 3", ga.NodeDescriptions[1]);
        Assert.Equal("Residual connection", ga.NodeDescriptions[3]);
        using var predictor = TgNasPredictor.Load(_weights);
        var scores = new TgNasScorer(predictor, Mbv3Space.Instance, cache: SharedEncoder.Cache).Score([a, b]);
        Assert.All(scores, s => Assert.True(double.IsFinite(s)));
        Assert.NotEqual(scores[0], scores[1], 6); // only the resolution differs
    }

    [Fact]
    public void User_space_op_needs_only_its_description_to_be_scored_and_searched()
    {
        var space = UserSpace.FromJson(UserJson, "test.json");
        NasSharp.Spaces.SearchSpaces.Register(space);
        var builder = new TgNasGraphBuilder(space);
        var arch = space.Parse("|wide7~0|+|conv3~0|wide7~1|+|wide7~0|conv3~1|wide7~2|"); // no zero/identity op: every graph mode draws 6 op nodes
        var g = builder.Build(arch);
        Assert.Equal(8, g.NodeCount); // NB201-shaped: the same line graph as NB201
        Assert.Equal("Depth-wise separable convolution 7 by 7 with a wide receptive field", g.NodeDescriptions[1]);

        var request = new SearchRequest(space, "cifar10", 4, 60, TestData.Directory) { Options = new Dictionary<string, string> { ["weights"] = _weights } };
        var outcome = new TgNasEvolutionSearch().Run(request);
        Assert.True(space.IsValid(outcome.Best, out _));
        Assert.True(outcome.Evaluations <= 60);
        Assert.Equal(space.Format(outcome.Best), space.Format(new TgNasEvolutionSearch().Run(request).Best));
        var report = TgNasSearchReport.Describe(outcome, request);
        Assert.Null(report["test_accuracy"]); // no table for a user space: the search still reports its find
    }

    [Fact]
    public void Darts_evolution_finds_a_valid_genotype_and_honours_the_graph_option()
    {
        var options = new Dictionary<string, string> { ["weights"] = _weights, ["darts-graph"] = "normal" };
        var request = new SearchRequest(DartsSpace.Instance, "cifar10", 1, 40, TestData.Directory) { Options = options };
        var outcome = new TgNasEvolutionSearch().Run(request);
        Assert.True(DartsSpace.Instance.IsValid(outcome.Best, out var why), why);
        using var predictor = TgNasPredictor.Load(_weights);
        var normal = new TgNasScorer(predictor, DartsSpace.Instance, cache: SharedEncoder.Cache, dartsMode: DartsGraphMode.Normal);
        Assert.Equal(normal.Score(outcome.Best), outcome.BestScore, 4);
        var bad = request with { Options = new Dictionary<string, string> { ["weights"] = _weights, ["darts-graph"] = "reduce" } };
        Assert.Contains("darts-graph", Assert.Throws<NasInputException>(() => new TgNasEvolutionSearch().Run(bad)).Message);
    }
}
