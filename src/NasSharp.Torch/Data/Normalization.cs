namespace NasSharp.Torch.Data;

/// <summary>Per-channel mean and standard deviation applied to pixels scaled to [0, 1]: x' = (x − mean) / std.</summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>CIFAR-10 as in the Samsung zero-cost-proxy code ([SAM] in docs/methods/zero-cost-proxies.md §1.1).</summary>
    public static Normalization Cifar10 { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2023f, 0.1994f, 0.2010f]);

    /// <summary>CIFAR-10 as in NAS-Bench-Suite-Zero / NASLib (the true per-channel std).</summary>
    public static Normalization Cifar10Naslib { get; } = new([0.49139968f, 0.48215827f, 0.44653124f], [0.24703233f, 0.24348505f, 0.26158768f]);

    /// <summary>Fashion-MNIST training-set statistics (single channel).</summary>
    public static Normalization FashionMnist { get; } = new([0.2860f], [0.3530f]);

    public int Channels => Mean.Length;
}
