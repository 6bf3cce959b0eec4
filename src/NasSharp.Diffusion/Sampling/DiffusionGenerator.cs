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
    /// <summary>
    /// The most samples drawn as one batch (the default of `nas diffusion sample -n`). Larger counts are drawn in batches
    /// of this size, so memory does not grow with the count (the batch repulsion alone needs a B×B matrix): batch 0 uses
    /// the seed itself — a count up to this size gives exactly the samples of one batch, as before batching existed —
    /// and batch c &gt; 0 a seed derived from (seed, c). The repulsion couples samples within a batch only.
    /// </summary>
    public const int BatchSize = 1000;

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

    /// <summary>
    /// Samples <paramref name="count"/> (1..<see cref="Counts.Max"/>) architectures in batches of at most
    /// <see cref="BatchSize"/>; guided when <paramref name="scale"/> &gt; 0. The statistics are accumulated batch by batch;
    /// <paramref name="onBatch"/> sees each batch's decoded samples (the result keeps them only for a one-batch call).
    /// </summary>
    public GenerationResult Run(int count, int seed, string? dataset = null, double scale = 0, IProgress<ProgressInfo>? progress = null,
        CancellationToken cancel = default, Action<IReadOnlyList<DecodedSample>>? onBatch = null)
    {
        Counts.Require("The number of architectures to generate (-n)", count);
        if (double.IsNaN(scale) || double.IsInfinity(scale) || scale < 0) throw new NasInputException($"--scale must be a finite number ≥ 0, got {scale}.");
        if (dataset is not null) DatasetCatalog.Get(dataset);
        Guidance? guidance = null;
        if (scale > 0)
        {
            if (Predictor is null) throw new NasInputException("Guided generation needs a predictor (--predictor FILE or the shipped one).");
            if (dataset is null && !Predictor.Saw("observations")) throw new NasInputException("Guided generation needs a target dataset (--dataset cifar10|cifar100|imagenet16-120).");
            guidance = new Guidance(Predictor, dataset, scale);
        }
        int batches = (count + BatchSize - 1) / BatchSize;
        var result = new GenerationResult(Score.Encoding, trainingKeys.Value, keepSamples: batches == 1);
        for (int b = 0; b < batches; b++)
        {
            int size = Math.Min(BatchSize, count - b * BatchSize);
            int done = b;
            var batchProgress = progress is null ? null
                : new RelayProgress(p => progress.Report(new ProgressInfo(done * p.Total + p.Done, batches * p.Total, batches > 1 ? $"batch {done + 1}/{batches}" : null)));
            var output = PcSampler.Sample(Score, size, BatchSeed(seed, b), Options, guidance, batchProgress, cancel);
            var decoded = EncodingBatches.DecodeCentred(Score.Encoding, output.Centred, size);
            result.Add(decoded, output.NonFiniteSteps, output.Seconds);
            onBatch?.Invoke(decoded);
        }
        return result;
    }

    /// <summary>Batch 0 keeps the seed (one-batch results are unchanged); later batches mix (seed, batch) with SplitMix64.</summary>
    internal static int BatchSeed(int seed, int batch)
    {
        if (batch == 0) return seed;
        ulong z = ((ulong)(uint)seed << 32 | (uint)batch) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return unchecked((int)(z ^ (z >> 31)));
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class RelayProgress(Action<ProgressInfo> report) : IProgress<ProgressInfo>
    {
        public void Report(ProgressInfo value) => report(value);
    }
}
