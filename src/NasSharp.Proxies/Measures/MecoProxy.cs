using NasSharp.Proxies.Harness;
using static TorchSharp.torch;

namespace NasSharp.Proxies.Measures;

/// <summary>
/// meco (MeCo, Jiang et al. NeurIPS 2023): one forward of a single random image x ~ N(0,1) of shape 1×C×64×64 (the
/// reference code's input, whatever the dataset resolution); for the output of every module that is called (containers
/// included, as the reference hooks all named_modules), reshape sample 0 to (channels, rest), take the channel×channel
/// Pearson correlation (NaN → 0), and add its minimum eigenvalue (symmetric solver, float64). Larger is better.
/// </summary>
public sealed class MecoProxy : TorchProxy
{
    public const int InputSize = 64;
    public override string Name => "meco";
    public override string Description => "Σ over module outputs of the minimum eigenvalue of the channel correlation matrix (one random image)";
    public override bool UsesImages => false;

    protected override double Compute(ProxySession session, List<string> warnings)
    {
        using var net = session.NewCopy(batchNorm: true);
        using var scope = NewDisposeScope();
        var features = new List<Tensor>();
        // modules() omits the root; the reference's named_modules() includes it.
        var hooks = net.modules().Prepend(net).Distinct().OfType<nn.Module<Tensor, Tensor>>().Select(m => m.register_forward_hook((_, _, output) =>
        {
            features.Add(output.detach());
            return output;
        })).ToList();
        var gen = new Generator().manual_seed(session.Seed);
        long channels = session.Batch.ImageShape[0];
        using (no_grad()) net.call(randn([1, channels, InputSize, InputSize], generator: gen));
        foreach (var h in hooks) h.remove();
        double score = 0;
        foreach (var f in features)
        {
            if (f.dim() < 2) continue;
            var fea = f[0].reshape(f.shape[1], -1).to(float64);
            if (fea.shape[1] < 2 || fea.shape[0] < 1) continue; // one value per channel: all correlations NaN → 0 → λmin 0
            var corr = nan_to_num(Numerics.RowCorrelation(fea), 0, 0, 0);
            score += linalg.eigvalsh(corr).min().item<double>();
        }
        return score;
    }
}
