using NasSharp.Proxies.Harness;
using static NasSharp.Proxies.Tests.TinyNets;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NasSharp.Proxies.Tests;

public class RegistryAndSafetyTests
{
    [Fact]
    public void RegistryHasTheFifteenProxiesAndRejectsUnknownNames()
    {
        Assert.Equal(15, ProxyRegistry.All.Count);
        Assert.Equal(["grad_norm", "snip", "grasp", "fisher", "jacov", "synflow", "nwot", "zen", "epe_nas", "l2_norm",
                      "params", "flops", "plain", "zico", "meco"], ProxyRegistry.Names);
        Assert.Equal("jacov", ProxyRegistry.Get("jacob_cov").Name);
        Assert.Equal("nwot", ProxyRegistry.Get("naswot").Name);
        var e = Assert.Throws<NasInputException>(() => ProxyRegistry.Parse("synflow,bogus"));
        Assert.Contains("bogus", e.Message);
        Assert.Equal(15, ProxyRegistry.Parse("all").Count);
    }

    [Fact]
    public void ANetworkThatProducesNaNGivesFiniteScoresWithWarnings()
    {
        Module<Tensor, Tensor> Build(bool _)
        {
            var fc = Linear(3, 2, hasBias: false);
            using (no_grad()) fc.weight!.fill_(float.NaN);
            return Sequential(("flatten", Flatten()), ("fc", fc), ("relu", ReLU()));
        }
        using var s = Session(Build);
        var scores = ProxyRunner.Score(s, ProxyRegistry.All);
        Assert.All(scores, r => Assert.True(double.IsFinite(r.Value), $"{r.Proxy} = {r.Value}"));
        Assert.Contains(scores, r => r.Value == TorchProxy.Fallback && r.Warnings.Count > 0);
    }

    [Fact]
    public void AnOutputIndependentOfTheInputGivesTheSentinelForJacobianProxies()
    {
        // x·0 → Linear: the Jacobian is zero, its correlation undefined (the NB201 all-none cell case).
        Module<Tensor, Tensor> Build(bool _) => Sequential(("flatten", Flatten()), ("zero", new Zero()), ("fc", Linear(3, 2)));
        using var s = Session(Build);
        var jacov = ProxyRegistry.Get("jacov").Score(s);
        Assert.Equal(TorchProxy.Fallback, jacov.Value);
        Assert.Contains(jacov.Warnings, w => w.Contains("does not depend on the input"));
        Assert.Equal(TorchProxy.Fallback, ProxyRegistry.Get("epe_nas").Score(s).Value);
        Assert.Equal(0, ProxyRegistry.Get("synflow").Score(s).Value);
    }

    private sealed class Zero() : Module<Tensor, Tensor>("Zero")
    {
        public override Tensor forward(Tensor x) => x * 0;
    }
}
