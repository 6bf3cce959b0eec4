using System.Diagnostics;
using NasSharp.Export;
using NasSharp.Spaces;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using TorchSharp;

namespace NasSharp.Pipeline;

/// <summary>
/// Rebuilds the trained network from the run's checkpoint, writes it with NasSharp.Export's ONNX exporter and runs the
/// file in ONNX Runtime next to TorchSharp on a seeded random batch (max abs diff; pass below <see cref="OnnxCheck.Tolerance"/>).
/// </summary>
public sealed class OnnxExportStage : IExportStage
{
    public ExportStageResult Run(RunSettings settings, string arch, RunDirectory dir)
    {
        var clock = Stopwatch.StartNew();
        var info = Checkpoint.ReadInfo(dir[RunDirectory.CheckpointFile]);
        if (info.Architecture != arch)
            throw new NasDataException($"{dir[RunDirectory.CheckpointFile]} holds {info.Architecture}, not the found {arch}; rerun without --resume.");
        var architecture = SearchSpaces.Get(info.Space).Parse(arch);
        using var probe = RunData.Load(settings.Data, settings.DataPath, settings.DataDirectory, train: false, limit: 1);
        using var net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = probe.NumClasses, InputChannels = probe.Channels });
        using (var trainer = new Trainer(net, TorchTrainStage.Options(settings))) trainer.RestoreCheckpoint(dir[RunDirectory.CheckpointFile]);
        net.eval();
        var model = OnnxExporter.ToModel(net, probe.Channels, probe.Height, probe.Width, $"{info.Space} {arch} trained on {info.Dataset}, {info.EpochsDone} epoch(s)");
        OnnxExporter.Save(model, dir[RunDirectory.OnnxFile]);
        var check = OnnxVerifier.Verify(net, File.ReadAllBytes(dir[RunDirectory.OnnxFile]), [4, probe.Channels, probe.Height, probe.Width], settings.Seed);
        return new ExportStageResult(RunDirectory.OnnxFile, new FileInfo(dir[RunDirectory.OnnxFile]).Length, model.Graph.Node.Count,
            string.Join(",", model.Graph.Node.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal)),
            check.MaxAbsDiff, OnnxCheck.Tolerance, check.Passed, clock.Elapsed.TotalSeconds);
    }
}
