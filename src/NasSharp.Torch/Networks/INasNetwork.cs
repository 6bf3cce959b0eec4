using static TorchSharp.torch;

namespace NasSharp.Torch.Networks;

/// <summary>
/// What every benchmark network built by <see cref="NetworkFactory"/> offers besides logits: the feature map just
/// before global average pooling (Zen-score and similar proxies need it).
/// </summary>
public interface INasNetwork
{
    /// <summary>Feature map before global pooling, N×C×H×W (for NB201 after the final BN-ReLU).</summary>
    Tensor Features(Tensor input);
    /// <summary>Channels of <see cref="Features"/>.</summary>
    long FeatureChannels { get; }
}
