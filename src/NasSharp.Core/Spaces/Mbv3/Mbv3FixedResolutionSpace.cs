namespace NasSharp.Spaces.Mbv3;

/// <summary>
/// The MBv3 space with the input resolution held at one value: sampling, mutation and neighbours change only the blocks
/// and depths. DiffusionNAG does not generate the resolution (spec §2.2, every generated net runs at 224), so comparisons
/// between it and other strategies run all of them in this space to search the same set of sub-networks. Its name stays
/// "mbv3" (architectures, evaluators and encodings of the full space accept its architectures).
/// </summary>
public sealed class Mbv3FixedResolutionSpace : ISearchSpace
{
    public Mbv3FixedResolutionSpace(int resolution = 224)
    {
        ValidateResolution(resolution);
        Resolution = resolution;
    }

    public int Resolution { get; }

    /// <summary>The resolutions <see cref="Mbv3Config"/> accepts: multiples of 4 in 112..224.</summary>
    public static void ValidateResolution(int resolution)
    {
        if (resolution < Mbv3Config.MinResolution || resolution > Mbv3Config.MaxResolution || resolution % 4 != 0)
            throw new NasInputException($"Resolution {resolution} is not a multiple of 4 in {Mbv3Config.MinResolution}..{Mbv3Config.MaxResolution}.");
    }
    public string Name => Mbv3Space.Instance.Name;
    public string Title => $"Once-for-all MobileNetV3 at resolution {Resolution}: 5 stages × 2-4 blocks, kernel {{3,5,7}} × expand {{3,4,6}}";
    public OpPlacement Placement => OpPlacement.Nodes;
    public IReadOnlyList<OperationInfo> Operations => Mbv3Space.Ops;
    public long? Size => null;
    public bool CanEnumerate => false;

    public Architecture Parse(string text) => Check(Mbv3Space.Instance.Parse(text));
    public string Format(Architecture arch) => Mbv3Space.Instance.Format(arch);

    public Architecture Sample(Random rng)
    {
        var c = Mbv3Space.SampleConfig(rng);
        return Mbv3Space.ToArchitecture(new Mbv3Config(c.Kernels, c.Expands, c.Depths, Resolution));
    }

    public IEnumerable<Architecture> Enumerate() => Mbv3Space.Instance.Enumerate();

    public IEnumerable<Architecture> Neighbours(Architecture arch) =>
        Mbv3Space.NeighbourConfigs(Mbv3Space.ToConfig(Check(arch))).Where(c => c.Resolution == Resolution).Select(Mbv3Space.ToArchitecture);

    public Architecture Mutate(Architecture arch, Random rng)
    {
        var all = Neighbours(arch).ToList();
        return all[rng.Next(all.Count)];
    }

    public bool IsValid(Architecture arch, out string? reason)
    {
        if (!Mbv3Space.Instance.IsValid(arch, out reason)) return false;
        int r = Mbv3Space.ToConfig(arch).Resolution;
        if (r == Resolution) return true;
        reason = $"resolution {r} differs from this space's fixed {Resolution}";
        return false;
    }

    public string CanonicalHash(Architecture arch) => Mbv3Space.Instance.CanonicalHash(arch);

    private Architecture Check(Architecture arch) =>
        IsValid(arch, out var reason) ? arch : throw new NasInputException($"Not an architecture of the MBv3 space at resolution {Resolution}: {reason}.");
}
