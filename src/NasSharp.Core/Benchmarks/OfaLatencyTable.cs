using System.Globalization;
using NasSharp.Data;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Benchmarks;

/// <summary>
/// The OFA tutorial's Samsung Note10 latency lookup table (<c>ofa/latency_note10_lut.csv.gz</c>, 17 resolutions 160..224):
/// a sub-network's latency is the sum of the mean latencies of its layers, keyed as OFA's
/// <c>predict_network_latency_given_spec</c> keys them (stem Conv, a fixed 24→24 block, the active blocks, Conv_1,
/// AvgPool2D, Conv_2, Logits). Reproduces the tutorial's "24.73 ms on note10" for its search result.
/// </summary>
public sealed class OfaLatencyTable
{
    public const string RelativePath = "ofa/latency_note10_lut.csv.gz";
    private static readonly int[] StageWidth = [32, 48, 96, 136, 192];
    private static readonly int[] StageStride = [2, 2, 2, 1, 2];
    private static readonly int[] StageSe = [0, 1, 0, 1, 1];
    private static readonly int[] StageHs = [0, 0, 1, 1, 1];

    private readonly Dictionary<(int Resolution, string Key), double> _mean;

    private OfaLatencyTable(Dictionary<(int, string), double> mean) => _mean = mean;

    public IReadOnlyCollection<int> Resolutions => _mean.Keys.Select(k => k.Resolution).Distinct().Order().ToArray();

    public static OfaLatencyTable Load(string dataDirectory)
    {
        var path = DataDirectory.RequireFile(dataDirectory, RelativePath, "OFA note10 latency table");
        var t = CsvTable.Load(path, ["resolution", "mean_ms"], ["key"]);
        var r = t.Numbers("resolution");
        var mean = t.Numbers("mean_ms");
        var key = t.Strings("key");
        var d = new Dictionary<(int, string), double>(t.RowCount);
        for (int i = 0; i < t.RowCount; i++)
        {
            if (!double.IsFinite(mean[i])) throw new NasDataException($"{path}: row {i + 1} has no finite mean_ms; replace the file (docs/data.md).");
            d[((int)r[i], key[i])] = mean[i];
        }
        return new OfaLatencyTable(d);
    }

    /// <summary>The keys of the layers of a sub-network, in network order.</summary>
    public static IReadOnlyList<string> LayerKeys(Mbv3Config c)
    {
        static int Down(int size, int stride) => (size - 1) / stride + 1;
        static string S(int v) => v.ToString(CultureInfo.InvariantCulture);
        int r = c.Resolution, f = Down(r, 2);
        var keys = new List<string>
        {
            $"Conv-input:{S(r)}x{S(r)}x3-output:{S(f)}x{S(f)}x24",
            $"expanded_conv-input:{S(f)}x{S(f)}x24-output:{S(f)}x{S(f)}x24-expand:24-kernel:3-stride:1-idskip:1-se:0-hs:0",
        };
        int cin = 24;
        for (int s = 0; s < Mbv3Config.Stages; s++)
            for (int j = 0; j < c.Depths[s]; j++)
            {
                int i = 4 * s + j, stride = j == 0 ? StageStride[s] : 1, cout = StageWidth[s], fo = Down(f, stride);
                int expand = cin * c.Expands[i]; // round(in_ch · e) with integer e
                keys.Add($"expanded_conv-input:{S(f)}x{S(f)}x{S(cin)}-output:{S(fo)}x{S(fo)}x{S(cout)}-expand:{S(expand)}-kernel:{S(c.Kernels[i])}" +
                         $"-stride:{S(stride)}-idskip:{(j == 0 ? 0 : 1)}-se:{S(StageSe[s])}-hs:{S(StageHs[s])}");
                (cin, f) = (cout, fo);
            }
        keys.Add($"Conv_1-input:{S(f)}x{S(f)}x192-output:{S(f)}x{S(f)}x1152");
        keys.Add($"AvgPool2D-input:{S(f)}x{S(f)}x1152-output:1x1x1152");
        keys.Add("Conv_2-input:1x1x1152-output:1x1x1536");
        keys.Add("Logits-input:1x1x1536-output:1000");
        return keys;
    }

    /// <summary>Summed mean latency in ms on the Note10; throws <see cref="NasInputException"/> for a resolution or layer the table lacks.</summary>
    public double LatencyMs(Mbv3Config c)
    {
        double total = 0;
        foreach (var key in LayerKeys(c))
        {
            if (!_mean.TryGetValue((c.Resolution, key), out var ms))
                throw new NasInputException($"The note10 latency table has no entry for resolution {c.Resolution}, layer {key}; it covers resolutions {string.Join(", ", Resolutions)}.");
            total += ms;
        }
        return total;
    }
}
