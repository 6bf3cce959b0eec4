using NasSharp.Diffusion.Encoding;
using NasSharp.Spaces;

namespace NasSharp.Diffusion.Sampling;

/// <summary>
/// Generated samples and DiffusionNAG's quality statistics (spec §2.1): validity = valid/generated, uniqueness = distinct
/// valid strings / valid, novelty = distinct valid strings outside the training set / distinct valid strings.
/// </summary>
public sealed class GenerationResult
{
    public GenerationResult(IDiffusionEncoding encoding, IReadOnlyList<DecodedSample> samples, ISet<string>? trainingKeys, int nonFiniteSteps, double seconds)
    {
        Samples = samples;
        Generated = samples.Count;
        var unique = new List<Architecture>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            if (s.Architecture is null) continue;
            Valid++;
            if (seen.Add(encoding.Key(s.Architecture))) unique.Add(s.Architecture);
        }
        UniqueArchitectures = unique;
        Novel = trainingKeys is null ? null : seen.Count(k => !trainingKeys.Contains(k));
        NonFiniteSamples = samples.Count(s => !s.Finite);
        NonFiniteSteps = nonFiniteSteps;
        Seconds = seconds;
    }

    public IReadOnlyList<DecodedSample> Samples { get; }
    /// <summary>Distinct valid architectures in order of first appearance.</summary>
    public IReadOnlyList<Architecture> UniqueArchitectures { get; }
    public int Generated { get; }
    public int Valid { get; }
    public int Unique => UniqueArchitectures.Count;
    public int? Novel { get; }
    public int NonFiniteSamples { get; }
    public int NonFiniteSteps { get; }
    public double Seconds { get; }

    public double Validity => Generated == 0 ? 0 : (double)Valid / Generated;
    public double Uniqueness => Valid == 0 ? 0 : (double)Unique / Valid;
    public double? Novelty => Novel is null || Unique == 0 ? null : (double)Novel.Value / Unique;
}
