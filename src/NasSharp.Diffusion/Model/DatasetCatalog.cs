namespace NasSharp.Diffusion.Model;

/// <summary>
/// The target datasets the predictor is conditioned on. Each has a learned embedding (its id) and a few meta-features
/// (log10 classes, resolution/32, log10 train images) that let a predictor trained without a dataset still tell it apart
/// (id 0 = "unseen", trained by dropping the id at random). The paper's set encoder over image features needs per-dataset
/// feature files we do not have; this is the "learned dataset embedding at least" variant.
/// </summary>
public static class DatasetCatalog
{
    public sealed record Info(string Name, int Id, int Classes, int Resolution, int TrainImages)
    {
        public float[] Features => [(float)Math.Log10(Classes), Resolution / 32f, (float)Math.Log10(TrainImages)];
    }

    public const int UnseenId = 0, FeatureCount = 3;

    public static readonly IReadOnlyList<Info> All =
    [
        new("cifar10", 1, 10, 32, 50000),
        new("cifar100", 2, 100, 32, 50000),
        new("imagenet16-120", 3, 120, 16, 151700),
    ];

    public static int EmbeddingRows => All.Count + 1;

    public static Info Get(string name)
    {
        var n = name.Trim().ToLowerInvariant() switch
        {
            "cifar-10" or "c10" => "cifar10",
            "cifar-100" or "c100" => "cifar100",
            "imagenet16" or "imagenet16_120" or "imagenet-16-120" or "in16" or "imagenet" => "imagenet16-120",
            var other => other,
        };
        return All.FirstOrDefault(d => d.Name == n)
            ?? throw new NasInputException($"Unknown dataset '{name}'; DiffusionNAG's predictor knows: {string.Join(", ", All.Select(d => d.Name))}.");
    }
}
