using System.Text.Json;
using NasSharp.Data;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Benchmarks;

/// <summary>
/// The once-for-all tutorial's accuracy predictor for MobileNetV3 sub-networks (mit-han-lab/once-for-all, tutorial
/// checkpoint acc_predictor.pth): an MLP 128 → 400 → 400 → 400 → 1 with ReLU, read at run time from
/// <c>ofa/acc_predictor.json</c> in the data directory (never shipped). Output: predicted ImageNet top-1 as a fraction.
/// It is a 2-matrix-vector-product network, so plain managed code is faster than any tensor library round trip.
/// </summary>
public sealed class OfaAccuracyPredictor
{
    public const string RelativePath = "ofa/acc_predictor.json";
    public const int FeatureCount = 128, Hidden = 400;

    private readonly float[][] _w = new float[4][];
    private readonly float[][] _b = new float[4][];
    private static readonly int[] InDims = [FeatureCount, Hidden, Hidden, Hidden];
    private static readonly int[] OutDims = [Hidden, Hidden, Hidden, 1];

    private OfaAccuracyPredictor() { }

    /// <summary>The reference examples of the file (name, config, predicted accuracy in float32 and float64), for checks.</summary>
    public IReadOnlyList<(string Name, Mbv3Config Config, double Float32, double Float64, int[] ActiveFeatures)> Examples { get; private set; } = [];

    private static readonly Dictionary<string, OfaAccuracyPredictor> Cache = new();

    /// <summary>Loads (once per path) the predictor from <paramref name="dataDirectory"/>/ofa/acc_predictor.json.</summary>
    public static OfaAccuracyPredictor Load(string dataDirectory)
    {
        var path = DataDirectory.RequireFile(dataDirectory, RelativePath, "OFA accuracy predictor");
        lock (Cache)
        {
            if (Cache.TryGetValue(path, out var cached)) return cached;
            var p = Read(path);
            Cache[path] = p;
            return p;
        }
    }

    private static OfaAccuracyPredictor Read(string path)
    {
        var p = new OfaAccuracyPredictor();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var layers = doc.RootElement.GetProperty("layers");
            string[] names = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias"];
            var byName = layers.EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l);
            for (int k = 0; k < 4; k++)
            {
                p._w[k] = ReadValues(byName, names[2 * k], [OutDims[k], InDims[k]]);
                p._b[k] = ReadValues(byName, names[2 * k + 1], [OutDims[k]]);
            }
            var examples = new List<(string, Mbv3Config, double, double, int[])>();
            if (doc.RootElement.TryGetProperty("examples", out var ex))
                foreach (var e in ex.EnumerateArray())
                {
                    int[] Ints(string key) => e.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
                    var cfg = new Mbv3Config(Ints("ks"), Ints("e"), Ints("d"), e.GetProperty("r").GetInt32());
                    var active = e.GetProperty("active_feature_indices").ValueKind == JsonValueKind.Array ? Ints("active_feature_indices") : [];
                    examples.Add((e.GetProperty("name").GetString()!, cfg, e.GetProperty("predicted_acc_float32").GetDouble(),
                        e.GetProperty("predicted_acc_float64").GetDouble(), active));
                }
            p.Examples = examples;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new NasDataException($"The OFA accuracy predictor {path} is not in the expected format ({e.Message}); see the README in its folder.", e);
        }
        return p;
    }

    private static float[] ReadValues(Dictionary<string, JsonElement> byName, string name, int[] shape)
    {
        if (!byName.TryGetValue(name, out var layer)) throw new KeyNotFoundException($"layer {name} is missing");
        var declared = layer.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        if (!declared.SequenceEqual(shape)) throw new FormatException($"layer {name} has shape [{string.Join(",", declared)}], expected [{string.Join(",", shape)}]");
        var values = layer.GetProperty("values");
        var result = new float[values.GetArrayLength()];
        int i = 0;
        foreach (var v in values.EnumerateArray()) result[i++] = v.GetSingle();
        if (result.Length != shape.Aggregate(1, (a, b) => a * b)) throw new FormatException($"layer {name} has {result.Length} values for shape [{string.Join(",", shape)}]");
        return result;
    }

    /// <summary>
    /// The 128 0/1 features of OFA's spec2feats: [0,60) kernel one-hot per block (3, 5, 7), [60,120) expand one-hot per block
    /// (3, 4, 6), inactive blocks all zero, [120,128) resolution one-hot at (r − 112) / 16.
    /// </summary>
    public static float[] Features(Mbv3Config c)
    {
        var f = new float[FeatureCount];
        for (int i = 0; i < Mbv3Config.Slots; i++)
        {
            int t = c.OpType(i);
            if (t < 0) continue;
            f[3 * i + t / 3] = 1f;
            f[60 + 3 * i + t % 3] = 1f;
        }
        f[120 + (c.Resolution - 112) / 16] = 1f;
        return f;
    }

    /// <summary>Predicted ImageNet top-1 accuracy as a fraction (e.g. 0.8171), computed in double from the float32 weights.</summary>
    public double Predict(Mbv3Config c)
    {
        var x = Features(c).Select(v => (double)v).ToArray();
        for (int k = 0; k < 4; k++)
        {
            int n = InDims[k], m = OutDims[k];
            var w = _w[k];
            var y = new double[m];
            for (int o = 0; o < m; o++)
            {
                double s = _b[k][o];
                int row = o * n;
                for (int i = 0; i < n; i++) s += w[row + i] * x[i];
                y[o] = k < 3 && s < 0 ? 0 : s;
            }
            x = y;
        }
        if (!double.IsFinite(x[0])) throw new NasDataException("The OFA accuracy predictor produced a non-finite value; its weight file is corrupt.");
        return x[0];
    }
}
