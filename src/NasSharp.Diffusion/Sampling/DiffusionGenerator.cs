using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Generation;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Sampling;

/// <summary>
/// DiffusionNAG behind <see cref="IArchitectureGenerator"/>: PC sampling of a trained score model, optionally guided by a
/// noise-aware predictor towards a dataset. <see cref="Run"/> also returns the quality statistics.
/// </summary>
public sealed class DiffusionGenerator : IArchitectureGenerator
{
    private readonly Lazy<HashSet<string>> trainingKeys;

    public DiffusionGenerator(ScoreModel score, PredictorModel? predictor = null, SamplerOptions? options = null)
    {
        Score = score;
        Predictor = predictor;
        Options = options ?? new SamplerOptions();
        trainingKeys = new(() => score.Split.Architectures(score.Encoding.Space).Select(score.Encoding.Key).ToHashSet(StringComparer.Ordinal));
    }

    public ScoreModel Score { get; }
    public PredictorModel? Predictor { get; }
    public SamplerOptions Options { get; }
    public ISearchSpace Space => Score.Encoding.Space;
    /// <summary>The score model's training architectures as strings (novelty is measured against them).</summary>
    public IReadOnlySet<string> TrainingKeys => trainingKeys.Value;

    /// <summary>The distinct valid architectures of one sampling call (invalid and duplicate samples are dropped).</summary>
    public IReadOnlyList<Architecture> Generate(GenerationRequest request) =>
        Run(request.Count, request.Seed, request.TargetDataset, request.GuidanceScale).UniqueArchitectures;

    /// <summary>Samples <paramref name="count"/> architectures in one batch; guided when <paramref name="scale"/> &gt; 0.</summary>
    public GenerationResult Run(int count, int seed, string? dataset = null, double scale = 0, IProgress<ProgressInfo>? progress = null,
        CancellationToken cancel = default)
    {
        if (count <= 0) throw new NasInputException($"The number of architectures to generate must be positive, got {count}.");
        if (double.IsNaN(scale) || double.IsInfinity(scale) || scale < 0) throw new NasInputException($"--scale must be a finite number ≥ 0, got {scale}.");
        if (dataset is not null) DatasetCatalog.Get(dataset);
        Guidance? guidance = null;
        if (scale > 0)
        {
            if (Predictor is null) throw new NasInputException("Guided generation needs a predictor (--predictor FILE or the shipped one).");
            if (dataset is null && !Predictor.Saw("observations")) throw new NasInputException("Guided generation needs a target dataset (--dataset cifar10|cifar100|imagenet16-120).");
            guidance = new Guidance(Predictor, dataset, scale);
        }
        var output = PcSampler.Sample(Score, count, seed, Options, guidance, progress, cancel);
        var decoded = EncodingBatches.DecodeCentred(Score.Encoding, output.Centred, count);
        return new GenerationResult(Score.Encoding, decoded, trainingKeys.Value, output.NonFiniteSteps, output.Seconds);
    }
}
