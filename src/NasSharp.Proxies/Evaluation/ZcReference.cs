using NasSharp.Data;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Proxies.Evaluation;

/// <summary>
/// NAS-Bench-Suite-Zero reference scores for 725 NB201 cells (&lt;data-dir&gt;/zc/zc_nb201.csv.gz; see the data README):
/// per dataset, the architectures in file order, their NASLib val_accuracy and the 12 stored proxy columns
/// (synflow as sign-preserving ln, NaN/Inf as −1e8, missing as NaN).
/// </summary>
public sealed class ZcReference
{
    public const string RelativePath = "zc/zc_nb201.csv.gz";
    public static readonly IReadOnlyList<string> ProxyColumns =
        ["epe_nas", "fisher", "flops", "grad_norm", "grasp", "jacov", "l2_norm", "nwot", "params", "plain", "snip", "synflow"];

    public required string Dataset { get; init; }
    public required IReadOnlyList<Architecture> Architectures { get; init; }
    public required double[] ValAccuracy { get; init; }
    public required IReadOnlyDictionary<string, double[]> Scores { get; init; }

    public static ZcReference Load(string dataDirectory, string dataset)
    {
        var path = DataDirectory.RequireFile(dataDirectory, RelativePath, "NAS-Bench-Suite-Zero NB201 proxy scores");
        var table = CsvTable.Load(path, [.. ProxyColumns, "val_accuracy"], ["dataset", "arch_str"]);
        var wanted = dataset switch { "imagenet16-120" => "ImageNet16-120", var d => d };
        var rows = Enumerable.Range(0, table.RowCount).Where(r => table.Strings("dataset")[r] == wanted).ToArray();
        if (rows.Length == 0) throw new NasInputException($"{path} has no rows for dataset '{dataset}' (cifar10, cifar100, imagenet16-120).");
        var archStr = table.Strings("arch_str");
        return new ZcReference
        {
            Dataset = dataset,
            Architectures = rows.Select(r => Nb201Space.Instance.Parse(archStr[r])).ToList(),
            ValAccuracy = rows.Select(r => table.Numbers("val_accuracy")[r]).ToArray(),
            Scores = ProxyColumns.ToDictionary(c => c, c => rows.Select(r => table.Numbers(c)[r]).ToArray()),
        };
    }

    /// <summary>NASLib's stored form of a synflow score: sign-preserving ln, 0 stays 0.</summary>
    public static double NaslibSynflow(double raw) => raw == 0 ? 0 : raw > 0 ? Math.Log(raw) : -Math.Log(-raw);
}
