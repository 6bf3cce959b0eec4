using NasSharp.Spaces.Darts;
using NasSharp.Torch.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests.Spaces;

public class DartsNetworkTests
{
    [Fact]
    public void DartsV2_At36Channels20Cells_Has3349342Parameters()
    {
        // DARTS' train.py logs "param size = 3.349342MB" for DARTS_V2 (paper: 3.3 M), counted without the auxiliary head.
        using var net = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions());
        Assert.Equal(3_349_342, net.ParameterCount());
        using var withAux = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { Auxiliary = true });
        Assert.Equal(3_349_342, withAux.MainParameterCount());
        // Auxiliary head at C_aux = 4·4·36 = 576: conv 576·128 + BN 2·128 + conv 128·768·2·2 + BN 2·768 + Linear 768·10+10.
        Assert.Equal(3_349_342 + 576 * 128 + 256 + 128 * 768 * 4 + 1536 + 7690, withAux.ParameterCount());
    }

    [Fact]
    public void DartsV1_DiffersFromV2_ByTheEighteenNormalCellDilConvs()
    {
        // V1 and V2 normal cells differ by one dil_conv_3x3 (V2) vs a parameter-free skip (V1); reduction cells differ only in
        // pooling. A dil_conv_3x3 at C channels has 9C (depthwise) + C² (pointwise) + 2C (BN) parameters; 6 normal cells
        // each at C = 36, 72, 144. (The paper's Table 1 rounds first-order DARTS to 3.3 M; genotypes.py's DARTS_V1 is 3.17 M.)
        static long Dil(long c) => 9 * c + c * c + 2 * c;
        using var net = new DartsNetwork(DartsGenotype.DartsV1, new DartsNetworkOptions());
        Assert.Equal(3_349_342 - 6 * (Dil(36) + Dil(72) + Dil(144)), net.ParameterCount());
    }

    [Fact]
    public void SmallNetwork_ForwardShapes_AuxiliaryHead_AndDropPath()
    {
        torch.manual_seed(0);
        using var scope = NewDisposeScope();
        using var net = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { InitChannels = 8, Layers = 5, Auxiliary = true, DropPathProb = 0.3 });
        var x = torch.randn(4, 3, 32, 32);
        net.train();
        var (logits, aux) = net.ForwardWithAuxiliary(x);
        Assert.Equal([4L, 10L], logits.shape);
        Assert.NotNull(aux);
        Assert.Equal([4L, 10L], aux!.shape);
        Assert.Equal([4L, 4 * 32L, 8L, 8L], net.Features(x).shape); // 4 nodes × 4C after two reductions, 32 → 8
        var again = net.call(x);
        Assert.False(logits.allclose(again)); // drop-path draws new masks

        net.eval();
        var (e1, auxEval) = net.ForwardWithAuxiliary(x);
        Assert.Null(auxEval);
        Assert.True(e1.allclose(net.call(x)));
        Assert.True(e1.isfinite().all().item<bool>());
    }

    [Fact]
    public void EveryOp_BuildsAtBothStrides_WithTheRightShape()
    {
        using var scope = NewDisposeScope();
        var x = torch.randn(2, 6, 8, 8);
        foreach (var op in DartsSpace.Ops.Select(o => o.Name))
            foreach (var stride in new[] { 1, 2 })
            {
                using var m = DartsOps.Create(op, 6, stride, batchNorm: true);
                Assert.Equal([2L, 6L, 8L / stride, 8L / stride], m.call(x).shape);
            }
        Assert.Throws<NasInputException>(() => DartsOps.Create("conv_9x9", 6, 1, true));
    }

    [Fact]
    public void NetworkFromArchitecture_MatchesTheGenotypeNetwork()
    {
        var arch = DartsSpace.Instance.Parse(DartsNotation.FormatPython(DartsGenotype.DartsV2));
        using var a = DartsNetwork.Create(arch, new DartsNetworkOptions { InitChannels = 16, Layers = 8 });
        using var b = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { InitChannels = 16, Layers = 8 });
        Assert.Equal(b.ParameterCount(), a.ParameterCount());
        Assert.Throws<NasInputException>(() => new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { InitChannels = 7 }));
    }
}

public class SpaceNetworkFactoryTests
{
    [Fact]
    public void NetworkFactory_BuildsDartsAndMbv3()
    {
        var darts = NasSharp.Spaces.Darts.DartsSpace.ToArchitecture(DartsGenotype.DartsV2);
        using var d = NetworkFactory.Create(darts);
        Assert.Equal(3_349_342, d.ParameterCount());
        var mbv3 = NasSharp.Spaces.Mbv3.Mbv3Space.Instance.Sample(new Random(0));
        using var m = NetworkFactory.Create(mbv3, new NetworkOptions { NumClasses = 5 });
        Assert.IsType<Mbv3Network>(m);
    }
}
