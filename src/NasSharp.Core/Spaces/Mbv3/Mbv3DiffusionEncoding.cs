using System.Globalization;

namespace NasSharp.Spaces.Mbv3;

/// <summary>
/// DiffusionNAG's MobileNetV3 representation (docs/methods/diffusionnag.md §2.2): X is 20 slots × 9 op types, one-hot at
/// 3·kernel_index + expand_index (3-3:0, 3-4:1, 3-6:2, 5-3:3, 5-4:4, 5-6:5, 7-3:6, 7-4:7, 7-6:8), all-zero rows for slots
/// the stage's depth skips; the adjacency is the constant chain slot i → i+1. The resolution is not represented
/// (DiffusionNAG trains every generated net at 224).
/// </summary>
public static class Mbv3DiffusionEncoding
{
    public const int Nodes = Mbv3Config.Slots, OpTypes = 9;
    public const int DefaultResolution = 224;

    public static float[,] Encode(Mbv3Config c)
    {
        var x = new float[Nodes, OpTypes];
        for (int i = 0; i < Nodes; i++)
        {
            int t = c.OpType(i);
            if (t >= 0) x[i, t] = 1f;
        }
        return x;
    }

    /// <summary>The constant 20×20 chain adjacency, [from, to].</summary>
    public static float[,] ChainAdjacency()
    {
        var a = new float[Nodes, Nodes];
        for (int i = 0; i + 1 < Nodes; i++) a[i, i + 1] = 1f;
        return a;
    }

    /// <summary>
    /// DiffusionNAG's validity check on X thresholded at <paramref name="threshold"/> (is_valid_OFA_x): every row has at most
    /// one entry above it; slots 0 and 1 of every stage are non-empty; if slot 2 of a stage is empty, slot 3 is empty too.
    /// </summary>
    public static bool IsValid(float[,] x, out string? reason, float threshold = 0.5f)
    {
        reason = null;
        if (x.GetLength(0) != Nodes || x.GetLength(1) != OpTypes) { reason = $"X must be {Nodes}×{OpTypes}, got {x.GetLength(0)}×{x.GetLength(1)}."; return false; }
        var type = RowTypes(x, threshold, out reason);
        if (type is null) return false;
        for (int s = 0; s < Mbv3Config.Stages; s++)
        {
            if (type[4 * s] < 0 || type[4 * s + 1] < 0) { reason = $"stage {s + 1}: slots 1 and 2 must hold a block (depth ≥ 2)."; return false; }
            if (type[4 * s + 2] < 0 && type[4 * s + 3] >= 0) { reason = $"stage {s + 1}: slot 4 holds a block but slot 3 is empty."; return false; }
        }
        return true;
    }

    /// <summary>The configuration X encodes (0.5 threshold), with the given resolution; throws <see cref="NasInputException"/> if X is not valid.</summary>
    public static Mbv3Config Decode(float[,] x, int resolution = DefaultResolution, float threshold = 0.5f)
    {
        if (!IsValid(x, out var reason, threshold)) throw new NasInputException($"Not a valid MBv3 encoding: {reason}");
        var type = RowTypes(x, threshold, out _)!;
        var k = new int[Nodes];
        var e = new int[Nodes];
        var d = new int[Mbv3Config.Stages];
        for (int i = 0; i < Nodes; i++)
        {
            if (type[i] < 0) continue;
            k[i] = Mbv3Config.KernelChoices[type[i] / 3];
            e[i] = Mbv3Config.ExpandChoices[type[i] % 3];
            d[i / 4]++;
        }
        return new Mbv3Config(k, e, d, resolution);
    }

    private static int[]? RowTypes(float[,] x, float threshold, out string? reason)
    {
        reason = null;
        var type = new int[Nodes];
        for (int i = 0; i < Nodes; i++)
        {
            type[i] = -1;
            for (int t = 0; t < OpTypes; t++)
            {
                if (float.IsNaN(x[i, t])) { reason = $"row {i} holds NaN."; return null; }
                if (x[i, t] <= threshold) continue;
                if (type[i] >= 0) { reason = $"row {i} has more than one op type above {threshold}."; return null; }
                type[i] = t;
            }
        }
        return type;
    }

    /// <summary>DiffusionNAG's string: per slot <c>d-k-e</c> (d = the stage's depth) or <c>0-0-0</c>, joined by '_'.</summary>
    public static string ToDiffusionString(Mbv3Config c) =>
        string.Join("_", Enumerable.Range(0, Nodes).Select(i =>
            c.IsActive(i) ? $"{c.Depths[i / 4]}-{c.Kernels[i]}-{c.Expands[i]}" : "0-0-0"));

    /// <summary>Reads DiffusionNAG's 20-token string (resolution <see cref="DefaultResolution"/>); the per-token depth must match the stage.</summary>
    public static Mbv3Config ParseString(string text, int resolution = DefaultResolution)
    {
        var tokens = text.Trim().Split('_');
        if (tokens.Length != Nodes) throw new NasInputException($"A DiffusionNAG MBv3 string has {Nodes} 'd-k-e' tokens joined by '_', found {tokens.Length}.");
        var k = new int[Nodes];
        var e = new int[Nodes];
        var d = new int[Mbv3Config.Stages];
        var declared = new int[Mbv3Config.Stages];
        for (int i = 0; i < Nodes; i++)
        {
            var p = tokens[i].Split('-');
            if (p.Length != 3 || !p.All(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new NasInputException($"Token {i} '{tokens[i]}' of the DiffusionNAG string is not 'd-k-e'.");
            int di = int.Parse(p[0], CultureInfo.InvariantCulture);
            if (di == 0) continue;
            int s = i / 4;
            if (i % 4 != d[s]) throw new NasInputException($"Token {i} '{tokens[i]}' follows an empty slot of stage {s + 1}; active blocks come first.");
            if (declared[s] != 0 && declared[s] != di) throw new NasInputException($"Stage {s + 1} tokens disagree on the depth ({declared[s]} vs {di}).");
            declared[s] = di;
            k[i] = int.Parse(p[1], CultureInfo.InvariantCulture);
            e[i] = int.Parse(p[2], CultureInfo.InvariantCulture);
            d[s]++;
        }
        for (int s = 0; s < Mbv3Config.Stages; s++)
            if (declared[s] != d[s]) throw new NasInputException($"Stage {s + 1} declares depth {declared[s]} but has {d[s]} blocks.");
        return new Mbv3Config(k, e, d, resolution);
    }
}
