using NasSharp.Proxies.Measures;
using static NasSharp.Proxies.Tests.TinyNets;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Proxies.Tests;

/// <summary>params, flops and l2_norm: closed forms.</summary>
public class CountProxyTests
{
    private static Module<Tensor, Tensor> ConvNet(bool bn)
    {
        // Conv(3→4, 3×3, no bias) = 108, BN(4) = 8, Linear(4·1·1 → 2) = 10: 126 parameters (BN off: 118).
        var conv = Conv2d(3, 4, 3, bias: false);
        using (no_grad()) conv.weight!.fill_(0.5f);
        var fc = Linear(4, 2);
        Set(fc.weight!, [[3, 4, 0, 0], [0, 0, 0, 12]]);
        return Sequential(("conv", conv), ("bn", bn ? BatchNorm2d(4) : Identity()), ("relu", ReLU()),
                          ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("fc", fc));
    }

    [Fact]
    public void ParamsCountsEveryTrainableParameterInMillions()
    {
        using var s = Session(ConvNet);
        Assert.Equal(126 / 1e6, new ParamsProxy().Score(s).Value, 12);
    }

    [Fact]
    public void L2NormSumsPerLayerNormsOfConvAndLinearWeightsOnly()
    {
        // conv: √(108·0.25) = √27; fc: ‖[3,4,0,0;0,0,0,12]‖ = 13; BN and the fc bias are excluded.
        using var s = Session(ConvNet);
        Assert.Equal(Math.Sqrt(27) + 13, new L2NormProxy().Score(s).Value, 5);
    }

    [Fact]
    public void FlopsCountsMultiplyAccumulatesPlusBias()
    {
        // Inputs are 3×1×1 here: conv output 4×1×1... padding 0 on a 1×1 input is invalid, so use 3×8×8 images.
        var batch = Harness.ProxyData.FromTensors(zeros([2, 3, 8, 8]), tensor(new long[] { 0, 1 }), 2);
        using var s = new Harness.ProxySession(ConvNet, batch, 0, ownsBatch: true);
        // conv: 6×6 outputs × 4 channels × 27 MACs = 3,888; fc: 4×2 + 2 bias = 10.
        Assert.Equal((3888 + 10) / 1e6, new FlopsProxy().Score(s).Value, 12);
    }
}
