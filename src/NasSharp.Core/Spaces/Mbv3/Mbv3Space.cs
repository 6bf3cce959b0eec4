using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NasSharp.Spaces.Mbv3;

/// <summary>
/// The once-for-all MobileNetV3 space (OFA tutorial's ArchManager): 5 stages × 4 inverted-residual slots, depth {2,3,4} per
/// stage, kernel {3,5,7} × expand {3,4,6} per active slot, input resolution. (9² + 9³ + 9⁴)⁵ ≈ 2.2·10¹⁹ block
/// configurations per resolution, so <see cref="Size"/> is null (it does not fit a long).
/// <para>
/// <b>Representation in <see cref="Architecture"/></b> (ops on nodes, a chain of 22 nodes): node 0 = <c>input@R</c> (R = the
/// resolution), nodes 1..20 = slots 0..19 with op <c>kK_eE</c> (e.g. <c>k5_e4</c>) when active or <c>skip</c> when the
/// stage's depth leaves the slot out, node 21 = <c>output</c>; edges i → i+1.
/// </para>
/// String form: <c>ks=[..20] e=[..20] d=[..5] r=224</c> (0 for inactive slots; OFA's dict form
/// <c>{'ks': [...], 'e': [...], 'd': [...], 'r': [224]}</c> and DiffusionNAG's 20-token <c>d-k-e_..._0-0-0</c> form are also read).
/// <para>
/// Sampling follows OFA's ArchManager: every kernel, expand and depth uniform and independent, r uniform over
/// 160/176/192/208/224 (so it is uniform over (ks, e, d, r) tuples, not over distinct sub-networks).
/// </para>
/// </summary>
public sealed partial class Mbv3Space : ISearchSpace
{
    public const int NodeCount = Mbv3Config.Slots + 2;
    public const string SkipOp = "skip";
    public const string InputPrefix = "input@";

    public static readonly IReadOnlyList<OperationInfo> Ops = BuildOps();

    private static OperationInfo[] BuildOps()
    {
        var list = new List<OperationInfo> { new(ArchitectureConversion.InputOp, "Input") };
        foreach (var k in Mbv3Config.KernelChoices)
            foreach (var e in Mbv3Config.ExpandChoices)
                list.Add(new(BlockOp(k, e), $"Inverted residual block, convolution {k} by {k}, expand ratio {e}"));
        list.Add(new(SkipOp, "Residual connection"));
        list.Add(new(ArchitectureConversion.OutputOp, "Output"));
        return list.ToArray();
    }

    public static string BlockOp(int kernel, int expand) => $"k{kernel}_e{expand}";

    public static Mbv3Space Instance { get; } = new();

    public string Name => "mbv3";
    public string Title => "Once-for-all MobileNetV3: 5 stages × 2-4 blocks, kernel {3,5,7} × expand {3,4,6}, resolution 160-224";
    public OpPlacement Placement => OpPlacement.Nodes;
    public IReadOnlyList<OperationInfo> Operations => Ops;
    public long? Size => null;
    public bool CanEnumerate => false;

    // ---- config <-> architecture ------------------------------------------------------------------------------

    public static Architecture ToArchitecture(Mbv3Config c)
    {
        var ops = new string[NodeCount];
        ops[0] = InputPrefix + c.Resolution.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < Mbv3Config.Slots; i++) ops[i + 1] = c.IsActive(i) ? BlockOp(c.Kernels[i], c.Expands[i]) : SkipOp;
        ops[NodeCount - 1] = ArchitectureConversion.OutputOp;
        return new Architecture("mbv3", NodeCount, Enumerable.Range(0, NodeCount - 1).Select(i => new ArchEdge(i, i + 1)), ops);
    }

    public static Mbv3Config ToConfig(Architecture arch)
    {
        if (arch.Placement != OpPlacement.Nodes || arch.NodeCount != NodeCount || arch.Edges.Count != NodeCount - 1 ||
            arch.Edges.Where((e, i) => e.From != i || e.To != i + 1).Any())
            throw new NasInputException($"Not an MBv3 architecture: expected a 22-node chain with ops on nodes, got {arch}.");
        var ops = arch.NodeOps!;
        if (!ops[0].StartsWith(InputPrefix, StringComparison.Ordinal) ||
            !int.TryParse(ops[0].AsSpan(InputPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var r))
            throw new NasInputException($"MBv3 node 0 must be '{InputPrefix}<resolution>', found '{ops[0]}'.");
        if (ops[^1] != ArchitectureConversion.OutputOp) throw new NasInputException($"MBv3 node 21 must be 'output', found '{ops[^1]}'.");
        var k = new int[Mbv3Config.Slots];
        var e = new int[Mbv3Config.Slots];
        var d = new int[Mbv3Config.Stages];
        for (int s = 0; s < Mbv3Config.Stages; s++)
        {
            bool ended = false;
            for (int j = 0; j < Mbv3Config.SlotsPerStage; j++)
            {
                int i = 4 * s + j;
                var op = ops[i + 1];
                if (op == SkipOp) { ended = true; continue; }
                var m = BlockOpRegex().Match(op);
                if (!m.Success) throw new NasInputException($"MBv3 slot {i} has op '{op}'; expected kK_eE (e.g. k5_e4) or '{SkipOp}'.");
                if (ended) throw new NasInputException($"MBv3 stage {s + 1}: slot {i} is a block after a skipped slot; a stage's active blocks come first.");
                k[i] = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                e[i] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                d[s]++;
            }
        }
        return new Mbv3Config(k, e, d, r);
    }

    // ---- string forms -----------------------------------------------------------------------------------------

    public Architecture Parse(string text) => ToArchitecture(ParseConfig(text));

    public string Format(Architecture arch) => ToConfig(arch).ToString();

    /// <summary>Reads <c>ks=[..] e=[..] d=[..] r=224</c>, OFA's dict form, or DiffusionNAG's <c>d-k-e_...</c> string (resolution 224).</summary>
    public static Mbv3Config ParseConfig(string text)
    {
        const string example = "ks=[3,5,7,3, ...20 values] e=[3,4,6,4, ...20 values] d=[2,3,4,2,3] r=224";
        if (string.IsNullOrWhiteSpace(text)) throw new NasInputException($"Empty MBv3 architecture; expected {example}.");
        var t = text.Trim();
        if (DiffusionStringRegex().IsMatch(t)) return Mbv3DiffusionEncoding.ParseString(t);
        var fields = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (Match m in FieldRegex().Matches(t))
        {
            var key = m.Groups["key"].Value;
            var values = m.Groups["list"].Success
                ? m.Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [m.Groups["num"].Value];
            var arr = new int[values.Length];
            for (int i = 0; i < values.Length; i++)
                if (!int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out arr[i]))
                    throw new NasInputException($"'{values[i]}' in field {key} of the MBv3 architecture is not a non-negative integer.");
            if (!fields.TryAdd(key, arr)) throw new NasInputException($"Field {key} appears twice in the MBv3 architecture '{t}'.");
        }
        foreach (var key in new[] { "ks", "e", "d" })
            if (!fields.ContainsKey(key)) throw new NasInputException($"The MBv3 architecture '{Short(t)}' has no '{key}=[...]' field; expected {example}.");
        int r = 224;
        if (fields.TryGetValue("r", out var rs))
        {
            if (rs.Length != 1) throw new NasInputException($"The MBv3 resolution r must be one number, found {rs.Length}.");
            r = rs[0];
        }
        return new Mbv3Config(fields["ks"], fields["e"], fields["d"], r);
    }

    // ---- sampling and mutation --------------------------------------------------------------------------------

    public static Mbv3Config SampleConfig(Random rng)
    {
        var k = new int[Mbv3Config.Slots];
        var e = new int[Mbv3Config.Slots];
        var d = new int[Mbv3Config.Stages];
        for (int i = 0; i < Mbv3Config.Slots; i++) k[i] = Mbv3Config.KernelChoices[rng.Next(3)];
        for (int i = 0; i < Mbv3Config.Slots; i++) e[i] = Mbv3Config.ExpandChoices[rng.Next(3)];
        for (int s = 0; s < Mbv3Config.Stages; s++) d[s] = Mbv3Config.DepthChoices[rng.Next(3)];
        int r = Mbv3Config.SampledResolutions[rng.Next(Mbv3Config.SampledResolutions.Count)];
        return new Mbv3Config(k, e, d, r);
    }

    public Architecture Sample(Random rng) => ToArchitecture(SampleConfig(rng));

    public IEnumerable<Architecture> Enumerate() =>
        throw new NasInputException("The MBv3 space (~1e20 sub-networks) is too large to enumerate; sample it instead.");

    /// <summary>
    /// One edit: an active block's (kernel, expand) changed to one of the 8 others; a stage one block shorter (its last block
    /// removed) or one longer (the new block taking each of the 9 types); or the resolution moved to the next sampled one.
    /// </summary>
    public static IEnumerable<Mbv3Config> NeighbourConfigs(Mbv3Config c)
    {
        for (int i = 0; i < Mbv3Config.Slots; i++)
        {
            if (!c.IsActive(i)) continue;
            foreach (var k in Mbv3Config.KernelChoices)
                foreach (var e in Mbv3Config.ExpandChoices)
                    if (k != c.Kernels[i] || e != c.Expands[i]) yield return With(c, i, k, e, c.Depths);
        }
        for (int s = 0; s < Mbv3Config.Stages; s++)
        {
            var d = c.Depths.ToArray();
            if (d[s] > 2) { d[s]--; yield return new Mbv3Config(c.Kernels, c.Expands, d, c.Resolution); }
            d = c.Depths.ToArray();
            if (d[s] < 4)
            {
                d[s]++;
                int slot = 4 * s + d[s] - 1;
                foreach (var k in Mbv3Config.KernelChoices)
                    foreach (var e in Mbv3Config.ExpandChoices)
                        yield return With(c, slot, k, e, d);
            }
        }
        var rs = Mbv3Config.SampledResolutions;
        int idx = rs.ToList().IndexOf(c.Resolution);
        if (idx < 0) // off the sampled grid: step to the nearest sampled resolutions
        {
            foreach (var r in rs.OrderBy(r => Math.Abs(r - c.Resolution)).Take(2)) yield return Rebuild(c, r);
        }
        else
        {
            if (idx > 0) yield return Rebuild(c, rs[idx - 1]);
            if (idx < rs.Count - 1) yield return Rebuild(c, rs[idx + 1]);
        }
    }

    private static Mbv3Config With(Mbv3Config c, int slot, int k, int e, IReadOnlyList<int> depths)
    {
        var ks = c.Kernels.ToArray();
        var es = c.Expands.ToArray();
        ks[slot] = k; es[slot] = e;
        return new Mbv3Config(ks, es, depths, c.Resolution);
    }

    private static Mbv3Config Rebuild(Mbv3Config c, int r) => new(c.Kernels, c.Expands, c.Depths, r);

    public IEnumerable<Architecture> Neighbours(Architecture arch) => NeighbourConfigs(ToConfig(arch)).Select(ToArchitecture);

    public Architecture Mutate(Architecture arch, Random rng)
    {
        var all = NeighbourConfigs(ToConfig(arch)).ToList();
        return ToArchitecture(all[rng.Next(all.Count)]);
    }

    public bool IsValid(Architecture arch, out string? reason)
    {
        try { ToConfig(arch); reason = null; return true; }
        catch (NasInputException e) { reason = e.Message; return false; }
    }

    /// <summary>SHA-256 (first 16 bytes, hex) of the canonical string (inactive slots zeroed): equal iff same sub-network and resolution.</summary>
    public string CanonicalHash(Architecture arch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToConfig(arch).ToString())).AsSpan(0, 16));

    private static string Short(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"^k(3|5|7)_e(3|4|6)$")]
    private static partial Regex BlockOpRegex();

    [GeneratedRegex(@"[""']?\b(?<key>ks|e|d|r)\b[""']?\s*[:=]\s*(\[(?<list>[^\]]*)\]|(?<num>\d+))")]
    private static partial Regex FieldRegex();

    [GeneratedRegex(@"^\d-\d-\d(_\d-\d-\d){19}$")]
    private static partial Regex DiffusionStringRegex();
}
