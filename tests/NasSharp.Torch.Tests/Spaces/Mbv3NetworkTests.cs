using NasSharp.Spaces.Mbv3;
using NasSharp.Torch.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests.Spaces;

public class Mbv3NetworkTests
{
    private const string Note10 = "ks=[5,3,0,0,5,3,0,0,7,7,3,0,5,5,7,3,3,3,5,0] e=[3,3,0,0,4,4,0,0,6,3,4,0,4,4,4,3,6,6,6,0] d=[2,2,3,4,3] r=192";

    [Fact]
    public void MakeDivisible_FollowsOfa()
    {
        Assert.Equal(72, Mbv3Network.MakeDivisible(72));
        Assert.Equal(24, Mbv3Network.MakeDivisible(18));  // 16 < 0.9·18, so one more step
        Assert.Equal(8, Mbv3Network.MakeDivisible(3));
        Assert.Equal(136, Mbv3Network.MakeDivisible(136));
    }

    [Fact]
    public void BlockParameters_MatchAHandCount()
    {
        // 24 → 32, k3, e3 (mid 72): expand 24·72 + BN 2·72, depthwise 72·9 + BN 2·72, project 72·32 + BN 2·32.
        using var plain = new Mbv3Block(24, 32, 3, 3, 2, useSe: false, hswish: false, bn: true);
        Assert.Equal(24 * 72 + 144 + 72 * 9 + 144 + 72 * 32 + 64, plain.ParameterCount());
        // Squeeze-excite on 72 channels reduces to make_divisible(18) = 24: 72·24 + 24 + 24·72 + 72.
        using var withSe = new Mbv3Block(24, 32, 3, 3, 2, useSe: true, hswish: true, bn: true);
        Assert.Equal(plain.ParameterCount() + 72 * 24 + 24 + 24 * 72 + 72, withSe.ParameterCount());
    }

    [Fact]
    public void Network_HasOneBlockPerActiveSlot_AndRunsOnSmallImages()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        var cfg = Mbv3Space.ParseConfig(Note10);
        using var net = new Mbv3Network(cfg, new Mbv3NetworkOptions { WidthMultiplier = 0.5 });
        Assert.Equal(1 + 14, net.BlockCount);
        net.eval();
        var y = net.call(torch.randn(2, 3, 32, 32));
        Assert.Equal([2L, 10L], y.shape);
        Assert.True(y.isfinite().all().item<bool>());
        // bigger kernels / expand ratios / depths => more parameters
        using var small = new Mbv3Network(new Mbv3Config(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 160), new());
        using var large = new Mbv3Network(new Mbv3Config(Enumerable.Repeat(7, 20).ToArray(), Enumerable.Repeat(6, 20).ToArray(), [4, 4, 4, 4, 4], 224), new());
        Assert.True(small.ParameterCount() < large.ParameterCount());
    }

    [Fact]
    public void Network_FitsATinyBatch()
    {
        // 16 fixed 1-channel 16×16 images, 4 classes: 40 Adam steps must cut the loss well below its start (ln 4 ≈ 1.39).
        torch.manual_seed(1);
        var cfg = new Mbv3Config(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 160);
        using var net = new Mbv3Network(cfg, new Mbv3NetworkOptions { NumClasses = 4, InputChannels = 1, WidthMultiplier = 0.35, Dropout = 0 });
        using var x = torch.randn(16, 1, 16, 16);
        using var t = torch.arange(16, dtype: ScalarType.Int64).remainder(4);
        using var opt = torch.optim.Adam(net.parameters(), lr: 3e-3);
        net.train();
        double first = 0, last = 0;
        for (int step = 0; step < 40; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(x), t);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < 0.5 * first, $"loss {first} -> {last}");
    }
}
