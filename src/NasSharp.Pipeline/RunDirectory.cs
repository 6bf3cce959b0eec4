using System.Text.Json;
using System.Text.Json.Serialization;

namespace NasSharp.Pipeline;

/// <summary>
/// The output directory of `nas run`: one JSON file per finished stage (so a rerun with --resume reuses them), the
/// checkpoint written after every epoch, the ONNX file, the plots, report.md and result.json.
/// </summary>
public sealed class RunDirectory
{
    public const string RunFile = "run.json", SearchFile = "search.json", TrainFile = "train.json", EpochLogFile = "train-epochs.json",
        ExportFile = "export.json", CheckpointFile = "model.ckpt", OnnxFile = "model.onnx", ReportFile = "report.md", ResultFile = "result.json",
        TrajectoryPlot = "search_trajectory.png", ProxyPlot = "proxy_vs_accuracy.png", TrainingPlot = "training_curve.png";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public RunDirectory(string path) => Root = Path.GetFullPath(path);

    public string Root { get; }
    public string this[string file] => Path.Combine(Root, file);

    /// <summary>Creates the directory and proves it is writable now, not after a long search (the check every output option uses).</summary>
    public void EnsureWritable() => NasSharp.Data.OutputPath.CheckDirectory("--out", Root);

    public bool Has(string file) => File.Exists(this[file]);

    public T? Read<T>(string file) where T : class
    {
        if (!Has(file)) return null;
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(this[file]), Json); }
        catch (JsonException e)
        {
            throw new NasDataException($"{this[file]} is damaged ({e.Message}); delete it to redo that stage.", e);
        }
    }

    /// <summary>Writes through a temporary file and a rename, so an interrupted run never leaves half a stage file.</summary>
    public void Write<T>(string file, T value)
    {
        var temp = this[file] + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(value, Json));
        File.Move(temp, this[file], overwrite: true);
    }

    public void Delete(string file)
    {
        if (Has(file)) File.Delete(this[file]);
    }
}
