using static TorchSharp.torch;

namespace NasSharp.Proxies.Harness;

/// <summary>Small float64 helpers the scalar proxies share.</summary>
internal static class Numerics
{
    /// <summary>Pearson correlation matrix of the rows of <paramref name="rows"/> (numpy corrcoef): NaN where a row is constant.</summary>
    public static Tensor RowCorrelation(Tensor rows)
    {
        var x = rows.to(float64);
        var centred = x - x.mean([1], keepdim: true);
        var cov = centred.matmul(centred.T);
        var d = cov.diagonal().sqrt();
        return (cov / d.unsqueeze(1) / d.unsqueeze(0)).clamp(-1, 1); // clamp keeps NaN, as numpy's clip does
    }

    public static double Sum(Tensor t) => t.sum().item<double>();
}
