namespace NasSharp.Spaces.Mbv3;

/// <summary>
/// A once-for-all MobileNetV3 sub-network: 5 stages × 4 block slots; slot i belongs to stage i / 4 and is active when
/// i % 4 &lt; Depths[i / 4]. Each active slot has a kernel size in {3, 5, 7} and an expand ratio in {3, 4, 6};
/// the input resolution is <see cref="Resolution"/>. Inactive slots hold 0 in <see cref="Kernels"/> and <see cref="Expands"/>
/// (the constructor zeroes whatever was given there, so equal sub-networks are equal records).
/// </summary>
public sealed record Mbv3Config
{
    public const int Stages = 5, SlotsPerStage = 4, Slots = Stages * SlotsPerStage;
    public static readonly IReadOnlyList<int> KernelChoices = [3, 5, 7];
    public static readonly IReadOnlyList<int> ExpandChoices = [3, 4, 6];
    public static readonly IReadOnlyList<int> DepthChoices = [2, 3, 4];
    /// <summary>The resolutions the OFA tutorial samples (and our sampler draws).</summary>
    public static readonly IReadOnlyList<int> SampledResolutions = [160, 176, 192, 208, 224];
    /// <summary>Resolutions accepted at all: multiples of 4 in 112..224 (the OFA predictor's resolution one-hot covers 112..239).</summary>
    public const int MinResolution = 112, MaxResolution = 224;

    public Mbv3Config(IReadOnlyList<int> kernels, IReadOnlyList<int> expands, IReadOnlyList<int> depths, int resolution)
    {
        if (kernels.Count != Slots || expands.Count != Slots)
            throw new NasInputException($"An MBv3 architecture lists {Slots} kernel sizes and {Slots} expand ratios (5 stages × 4 slots), got {kernels.Count} and {expands.Count}.");
        if (depths.Count != Stages) throw new NasInputException($"An MBv3 architecture lists {Stages} stage depths, got {depths.Count}.");
        for (int s = 0; s < Stages; s++)
            if (!DepthChoices.Contains(depths[s])) throw new NasInputException($"Depth {depths[s]} of stage {s + 1} is not in {{2, 3, 4}}.");
        if (resolution < MinResolution || resolution > MaxResolution || resolution % 4 != 0)
            throw new NasInputException($"Resolution {resolution} is not a multiple of 4 in {MinResolution}..{MaxResolution} (the OFA sampler uses 160, 176, 192, 208, 224).");
        var k = new int[Slots];
        var e = new int[Slots];
        for (int i = 0; i < Slots; i++)
        {
            if (i % SlotsPerStage >= depths[i / SlotsPerStage]) continue; // inactive: zero
            if (!KernelChoices.Contains(kernels[i])) throw new NasInputException($"Kernel size {kernels[i]} of active block {i} (stage {i / 4 + 1}) is not in {{3, 5, 7}}.");
            if (!ExpandChoices.Contains(expands[i])) throw new NasInputException($"Expand ratio {expands[i]} of active block {i} (stage {i / 4 + 1}) is not in {{3, 4, 6}}.");
            k[i] = kernels[i];
            e[i] = expands[i];
        }
        Kernels = k;
        Expands = e;
        Depths = depths.ToArray();
        Resolution = resolution;
    }

    public IReadOnlyList<int> Kernels { get; }
    public IReadOnlyList<int> Expands { get; }
    public IReadOnlyList<int> Depths { get; }
    public int Resolution { get; }

    public bool IsActive(int slot) => slot % SlotsPerStage < Depths[slot / SlotsPerStage];

    /// <summary>Index 3·kernel_index + expand_index of an active slot (DiffusionNAG's op type: 3-3:0, 3-4:1, 3-6:2, 5-3:3, ... 7-6:8), or -1.</summary>
    public int OpType(int slot) => IsActive(slot)
        ? 3 * IndexOf(KernelChoices, Kernels[slot]) + IndexOf(ExpandChoices, Expands[slot]) : -1;

    private static int IndexOf(IReadOnlyList<int> list, int v) { for (int i = 0; i < list.Count; i++) if (list[i] == v) return i; return -1; }

    public bool Equals(Mbv3Config? other) =>
        other is not null && Resolution == other.Resolution && Kernels.SequenceEqual(other.Kernels) &&
        Expands.SequenceEqual(other.Expands) && Depths.SequenceEqual(other.Depths);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Resolution);
        for (int i = 0; i < Slots; i++) { h.Add(Kernels[i]); h.Add(Expands[i]); }
        foreach (var d in Depths) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary><c>ks=[..20] e=[..20] d=[..5] r=224</c> with 0 for inactive slots.</summary>
    public override string ToString() =>
        $"ks=[{string.Join(",", Kernels)}] e=[{string.Join(",", Expands)}] d=[{string.Join(",", Depths)}] r={Resolution}";
}
