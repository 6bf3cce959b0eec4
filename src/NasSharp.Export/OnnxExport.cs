using System.Diagnostics;
using NasSharp.Export.Translation;
using Onnx;
using static TorchSharp.torch;

namespace NasSharp.Export;

/// <summary>What one export did: the model, the file, its check in ONNX Runtime and how long each step took.</summary>
public sealed record OnnxExportReport(ModelProto Model, string Path, long Bytes, OnnxCheck Check, TimeSpan ExportTime, TimeSpan VerifyTime)
{
    public IReadOnlyList<string> Operators => Model.Graph.Node.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToArray();
}

/// <summary>Export + save + verify in one call: what `nas export`, `nas run` and the tests do.</summary>
public static class OnnxExport
{
    /// <summary>
    /// Writes <paramref name="network"/> (switched to eval mode) to <paramref name="path"/> for C×size×size inputs, then runs
    /// the file in ONNX Runtime next to TorchSharp on a seeded random batch of <paramref name="batch"/>.
    /// </summary>
    public static OnnxExportReport ToFile(nn.Module<Tensor, Tensor> network, string path, int channels, int size, string description,
                                          int seed, int batch = 4, ModuleTranslators? translators = null, IProgress<ProgressInfo>? progress = null)
    {
        network.eval();
        progress?.Report(new ProgressInfo(0, 2, "writing the ONNX graph"));
        var clock = Stopwatch.StartNew();
        var model = OnnxExporter.ToModel(network, channels, size, size, description, translators ?? ModuleTranslators.Default);
        OnnxExporter.Save(model, path);
        var exportTime = clock.Elapsed;
        progress?.Report(new ProgressInfo(1, 2, "verifying in ONNX Runtime"));
        clock.Restart();
        var check = OnnxVerifier.Verify(network, File.ReadAllBytes(path), [batch, channels, size, size], seed, translators);
        progress?.Report(new ProgressInfo(2, 2, "verified"));
        return new OnnxExportReport(model, Path.GetFullPath(path), new FileInfo(path).Length, check, exportTime, clock.Elapsed);
    }
}
