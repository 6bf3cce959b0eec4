using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests;

/// <summary>
/// Proves the native libtorch loads on this machine (Debian 12 needs the GLIBCXX patch applied by Directory.Build.targets)
/// and that autograd and an optimiser work end to end.
/// </summary>
public class TorchLoadTests
{
    [Fact]
    public void SmallConvNetTrainsOneStep()
    {
        torch.set_num_threads(1);
        torch.manual_seed(0);
        var net = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10));
        var opt = optim.SGD(net.parameters(), 0.1, momentum: 0.9);
        using var x = torch.randn(4, 3, 16, 16);
        using var y = torch.tensor(new long[] { 0, 1, 2, 3 });
        var before = net.parameters().First().detach().clone();

        opt.zero_grad();
        using var loss = nn.functional.cross_entropy(net.forward(x), y);
        loss.backward();
        opt.step();

        Assert.True(float.IsFinite(loss.item<float>()));
        var grad = net.parameters().First().grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
        Assert.False(before.allclose(net.parameters().First()), "the optimiser step did not change the weights");
    }
}
