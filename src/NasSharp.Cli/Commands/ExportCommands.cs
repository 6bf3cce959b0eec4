using System.CommandLine;
using System.Globalization;
using NasSharp.Export;
using NasSharp.Spaces;
using NasSharp.Spaces.Mbv3;
using NasSharp.Spaces.UserDefined;
using Spectre.Console;
using static TorchSharp.torch;

namespace NasSharp.Cli.Commands;

/// <summary>`nas export`: write a trained checkpoint (or an untrained network) of any space as ONNX and verify it in ONNX Runtime.</summary>
public static class ExportCommands
{
    public static Command Create(CliContext ctx)
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint written by 'nas train' (its header names the space, architecture and input shape)." };
        var space = new Option<string?>("--space") { Description = $"With --arch: export an untrained network of this space ({string.Join(", ", SearchSpaces.All.Select(s => s.Name))}; default nb201)." };
        var spaceFile = new Option<string?>("--space-file") { Description = "User-defined space definition (JSON); needed for --arch or a checkpoint of that space." };
        var arch = new Option<string?>("--arch") { Description = "Architecture in the space's string form (untrained, weights from --seed)." };
        var output = CommonOptions.OutputFile("--out", "The .onnx file to write.", required: true);
        var classes = new Option<int>("--classes") { Description = "Classifier outputs (checkpoints that record it override this).", DefaultValueFactory = _ => 10 };
        var channels = new Option<int>("--input-channels") { Description = "Input channels (checkpoints that record it override this).", DefaultValueFactory = _ => 3 };
        var size = new Option<int?>("--input-size") { Description = "Input height and width (default: what the checkpoint records, else 32 as for our CIFAR-10 and padded Fashion-MNIST; an untrained mbv3 network uses its architecture's resolution r)." };
        var seed = CommonOptions.Seed();
        var cmd = new Command("export", "Export a network of any space (nb201, nb101, darts, mbv3, --space-file) to ONNX (opset 17) and verify the file in ONNX Runtime against TorchSharp on a random batch (max abs diff reported).")
            { checkpoint, space, spaceFile, arch, output, classes, channels, size, seed };
        cmd.SetAction(r =>
        {
            string? ckpt = r.GetValue(checkpoint), archText = r.GetValue(arch), file = r.GetValue(spaceFile);
            if ((ckpt is null) == (archText is null)) throw new NasInputException("Give either --checkpoint FILE or --space NAME (or --space-file FILE) --arch STRING.");
            var shape = new NetworkShape(r.GetValue(classes), r.GetValue(channels), r.GetValue(size) ?? 32);
            shape.Validate();
            Architecture? architecture = null;
            if (ckpt is not null)
            {
                if (file is not null) UserSpaces.Resolve(null, file); // registers the space the checkpoint names
            }
            else
            {
                var sp = UserSpaces.Resolve(r.GetValue(space) ?? "nb201", file);
                architecture = sp.Parse(archText!);
                if (r.GetValue(size) is null && sp is Mbv3Space) shape = shape with { ImageSize = Mbv3Space.ToConfig(architecture).Resolution };
            }
            var result = ctx.WithProgress(r, "export", progress =>
            {
                progress.Report(new ProgressInfo(0, 3, ckpt is null ? "building the network" : "loading the checkpoint"));
                var exportable = ckpt is not null ? ExportableNetwork.FromCheckpoint(ckpt, shape) : ExportableNetwork.Untrained(architecture!, shape, r.GetValue(seed));
                using var net = exportable.Network;
                var steps = new AfterFirstStep(progress);
                return ExportAndVerify(net, exportable.Shape.InputChannels, exportable.Shape.ImageSize, r.GetValue(output)!, exportable.Description, r.GetValue(seed), steps);
            });
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            var t = new Table().AddColumns("", "value");
            foreach (var (k, v) in result) t.AddRow(k, Markup.Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
            ctx.Console.Write(t);
            return result["verified"] is true ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>The export's own two steps (write, verify) shown as steps 2 and 3 of the command's three, reported synchronously.</summary>
    private sealed class AfterFirstStep(IProgress<ProgressInfo> outer) : IProgress<ProgressInfo>
    {
        public void Report(ProgressInfo p) => outer.Report(new ProgressInfo(1 + p.Done, 3, p.Status));
    }

    /// <summary>Exports, writes and verifies; the summary is what `nas export` and `nas run` report.</summary>
    internal static Dictionary<string, object?> ExportAndVerify(nn.Module<Tensor, Tensor> net, int channels, int size, string path, string description, int seed,
                                                                IProgress<ProgressInfo>? progress = null)
    {
        var report = OnnxExport.ToFile(net, path, channels, size, description, seed, progress: progress);
        return new Dictionary<string, object?>
        {
            ["out"] = report.Path,
            ["bytes"] = report.Bytes,
            ["nodes"] = report.Model.Graph.Node.Count,
            ["operators"] = string.Join(",", report.Operators),
            ["input_shape"] = $"N×{channels}×{size}×{size}",
            ["max_abs_diff"] = report.Check.MaxAbsDiff,
            ["max_abs_output"] = report.Check.MaxAbsOutput,
            ["tolerance"] = OnnxCheck.Tolerance,
            ["verified"] = report.Check.Passed,
            ["first_divergence"] = report.Check.FirstDivergence?.ToString(), // null when verified
            ["export_seconds"] = Math.Round(report.ExportTime.TotalSeconds, 3),
            ["verify_seconds"] = Math.Round(report.VerifyTime.TotalSeconds, 3),
            ["description"] = description,
        };
    }
}
