using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Tests;

public class AttentionTests
{
    [Fact]
    public void NodeIgnoresInputsOfNodesItDoesNotAttendTo()
    {
        random.manual_seed(3);
        using var scope = NewDisposeScope();
        var enc = Nb201Encoding.Instance;
        var config = new TransformerConfig { Blocks = 1, Dropout = 0 };
        using var t = new MaskedTransformer(enc.Nodes, enc.OpTypes, enc.Adjacency, config);
        t.eval();
        using var noGrad = no_grad();
        var x = randn(1, 8, 7);
        var sigma = full(1, 0.5f);
        var h = t.Forward(x, sigma)[0];
        // Node 3 (edge 2←1) attends only to node 6 (edge 3←2). Changing node 4's input must not move node 3's output.
        var x2 = x.clone();
        x2[0, 4] = randn(7);
        var h2 = t.Forward(x2, sigma)[0];
        Assert.True(h[0, 3].allclose(h2[0, 3], 1e-5, 1e-6));
        Assert.False(h[0, 6].allclose(h2[0, 6], 1e-5, 1e-6) && h[0, 4].allclose(h2[0, 4], 1e-5, 1e-6));
        // The output node attends to nothing: the all-masked row becomes uniform attention, never NaN.
        Assert.True(h.isfinite().all().item<bool>());
    }
}
