using NasSharp.Benchmarks;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Diffusion.Training;

/// <summary>
/// Training data for the MBv3 guidance predictor: sub-networks sampled as OFA's ArchManager does (at one resolution,
/// since DiffusionNAG does not generate it), labelled with the OFA accuracy predictor's ImageNet top-1 in percent. The
/// rows have no dataset (the predictor's "observations" task), like the observations of a BO run.
/// </summary>
public static class Mbv3OfaLabels
{
    public static List<LabelledArchitecture> Sample(OfaAccuracyPredictor ofa, int count, int seed, int resolution = Mbv3DiffusionEncoding.DefaultResolution)
    {
        if (count < 2) throw new NasInputException($"--archs must be at least 2, got {count}.");
        var space = new Mbv3FixedResolutionSpace(resolution);
        var rng = new Random(seed);
        var rows = new List<LabelledArchitecture>(count);
        for (int i = 0; i < count; i++)
        {
            var arch = space.Sample(rng);
            rows.Add(new(arch, null, Accuracy(ofa, arch)));
        }
        return rows;
    }

    /// <summary>OFA-predicted top-1 (%) of an MBv3 architecture.</summary>
    public static double Accuracy(OfaAccuracyPredictor ofa, NasSharp.Spaces.Architecture arch) => 100 * ofa.Predict(Mbv3Space.ToConfig(arch));
}
