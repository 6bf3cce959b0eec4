using NasSharp.Spaces.Darts;
using NasSharp.Torch.Networks;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>DARTS evaluation networks at C=8 and 5 cells (reductions at cells 1 and 3, so FactorizedReduce preprocessing occurs).</summary>
public class DartsExportTests
{
    private static DartsEntry E(string op, int input) => new(op, input);

    /// <summary>Every op, 'none' and skip on the reduction cell's stride-2 edges (subsampled zero, FactorizedReduce) included.</summary>
    private static readonly DartsGenotype AllOps = new(
        [E("sep_conv_5x5", 0), E("dil_conv_5x5", 1), E("none", 0), E("avg_pool_3x3", 2), E("max_pool_3x3", 3), E("skip_connect", 1),
         E("dil_conv_3x3", 4), E("sep_conv_3x3", 2)],
        [E("none", 0), E("skip_connect", 1), E("sep_conv_3x3", 0), E("dil_conv_5x5", 2), E("avg_pool_3x3", 1), E("none", 3),
         E("sep_conv_5x5", 4), E("max_pool_3x3", 0)]);

    private static DartsNetwork Network(DartsGenotype genotype, int seed, bool auxiliary = false, double dropPath = 0)
    {
        manual_seed(seed);
        var net = new DartsNetwork(genotype, new DartsNetworkOptions { InitChannels = 8, Layers = 5, Auxiliary = auxiliary, DropPathProb = dropPath });
        return WithBnStatistics(net);
    }

    [Fact]
    public void DartsV2_MatchesTorchSharp() => AssertMatches(ExportAndRun(Network(DartsGenotype.DartsV2, seed: 1)));

    [Fact]
    public void EveryOp_IncludingStrideTwoZeroAndSkip_MatchesTorchSharp() => AssertMatches(ExportAndRun(Network(AllOps, seed: 2)));

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void SampledGenotype_MatchesTorchSharp(int seed)
    {
        var genotype = DartsSpace.ToGenotype(DartsSpace.Instance.Sample(new Random(seed)));
        AssertMatches(ExportAndRun(Network(genotype, seed)));
    }

    [Fact]
    public void AuxiliaryHeadAndDropPath_AreTrainingOnly_AndLeftOutOfTheGraph()
    {
        var net = Network(DartsGenotype.DartsV1, seed: 3, auxiliary: true, dropPath: 0.2);
        AssertMatches(ExportAndRun(net));
        var model = OnnxExporter.ToModel(net, 3, 32, 32);
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name.Contains("auxiliary", StringComparison.Ordinal));
        Assert.Contains(net.named_parameters(), p => p.name.StartsWith("auxiliary_head", StringComparison.Ordinal));
    }
}
