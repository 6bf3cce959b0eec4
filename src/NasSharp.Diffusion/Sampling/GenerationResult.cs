using System.Text.RegularExpressions;
using NasSharp.Diffusion.Encoding;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Sampling;

/// <summary>
/// Generated samples and DiffusionNAG's quality statistics (spec §2.1): validity = valid/generated, uniqueness = distinct
/// valid strings / valid, novelty = distinct valid strings outside the training set / distinct valid strings. Built batch
/// by batch (<see cref="Add"/>): the counts are accumulated, so memory grows with the distinct architectures, not with the
/// number generated; the individual samples are kept only when asked for (one-batch calls).
/// </summary>
public sealed class GenerationResult
{
    private readonly IDiffusionEncoding encoding;
    private readonly ISet<string>? trainingKeys;
    private readonly List<DecodedSample>? samples;
    private readonly List<Architecture> unique = [];
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> invalidReasons = new(StringComparer.Ordinal);
    private int novel;

    public GenerationResult(IDiffusionEncoding encoding, IReadOnlyList<DecodedSample> samples, ISet<string>? trainingKeys, int nonFiniteSteps, double seconds)
        : this(encoding, trainingKeys, keepSamples: true) => Add(samples, nonFiniteSteps, seconds);

    /// <summary>An empty result to <see cref="Add"/> batches to; <paramref name="keepSamples"/> keeps every decoded sample in <see cref="Samples"/>.</summary>
    public GenerationResult(IDiffusionEncoding encoding, ISet<string>? trainingKeys, bool keepSamples)
    {
        this.encoding = encoding;
        this.trainingKeys = trainingKeys;
        samples = keepSamples ? [] : null;
    }

    /// <summary>Counts one batch of decoded samples in.</summary>
    public void Add(IReadOnlyList<DecodedSample> batch, int nonFiniteSteps, double seconds)
    {
        foreach (var s in batch)
        {
            Generated++;
            if (!s.Finite) NonFiniteSamples++;
            if (s.Architecture is null)
            {
                var reason = NormaliseReason(s.Reason);
                invalidReasons[reason] = invalidReasons.GetValueOrDefault(reason) + 1;
                continue;
            }
            Valid++;
            var key = encoding.Key(s.Architecture);
            if (!seen.Add(key)) continue;
            unique.Add(s.Architecture);
            if (trainingKeys is not null && !trainingKeys.Contains(key)) novel++;
        }
        samples?.AddRange(batch);
        NonFiniteSteps += nonFiniteSteps;
        Seconds += seconds;
    }

    /// <summary>Every decoded sample, in order, when the result keeps them (one-batch calls); empty otherwise.</summary>
    public IReadOnlyList<DecodedSample> Samples => samples ?? (IReadOnlyList<DecodedSample>)[];
    /// <summary>Distinct valid architectures in order of first appearance.</summary>
    public IReadOnlyList<Architecture> UniqueArchitectures => unique;
    public int Generated { get; private set; }
    public int Valid { get; private set; }
    public int Unique => unique.Count;
    public int? Novel => trainingKeys is null ? null : novel;
    public int NonFiniteSamples { get; private set; }
    public int NonFiniteSteps { get; private set; }
    public double Seconds { get; private set; }
    /// <summary>Why invalid samples failed (stage/row numbers dropped), most frequent first.</summary>
    public IReadOnlyList<ReasonCount> InvalidReasons =>
        invalidReasons.OrderByDescending(kv => kv.Value).Select(kv => new ReasonCount(kv.Key, kv.Value)).ToArray();

    /// <summary>An invalidity reason with stage/row numbers dropped, so that equal rules count together.</summary>
    public static string NormaliseReason(string? reason) => Regex.Replace(reason ?? "unknown", @"\b(stage|row) \d+", "$1 k");

    public double Validity => Generated == 0 ? 0 : (double)Valid / Generated;
    public double Uniqueness => Valid == 0 ? 0 : (double)Unique / Valid;
    public double? Novelty => Novel is null || Unique == 0 ? null : (double)Novel.Value / Unique;
}
