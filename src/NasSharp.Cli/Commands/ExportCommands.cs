using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using NasSharp.Export;
using NasSharp.Spaces;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace NasSharp.Cli.Commands;

/// <summary>`nas export`: write a trained checkpoint (or an untrained network) as ONNX and verify it in ONNX Runtime.</summary>
public static class ExportCommands
{
    public static Command Create(CliContext ctx)
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint written by 'nas train' (its header names the space and architecture)." };
        var space = new Option<string?>("--space") { Description = "With --arch: export an untrained network of this space instead of a checkpoint." };
        var arch = new Option<string?>("--arch") { Description = "Architecture in the space's string form (untrained, weights from --seed)." };
        var output = new Option<string>("--out") { Description = "The .onnx file to write.", Required = true };
        var classes = new Option<int>("--classes") { Description = "Classifier outputs of the network (10 for cifar10 and fashion-mnist).", DefaultValueFactory = _ => 10 };
        var size = new Option<int>("--input-size") { Description = "Input height and width (32 for our CIFAR-10 and padded Fashion-MNIST tensors).", DefaultValueFactory = _ => 32 };
        var seed = CommonOptions.Seed();
        var cmd = new Command("export", "Export a network to ONNX (opset 17) and verify the file in ONNX Runtime against TorchSharp on a random batch (max abs diff reported).")
            { checkpoint, space, arch, output, classes, size, seed };
        cmd.SetAction(r =>
        {
            string? ckpt = r.GetValue(checkpoint), spaceName = r.GetValue(space), archText = r.GetValue(arch);
            if ((ckpt is null) == (archText is null)) throw new NasInputException("Give either --checkpoint FILE or --space NAME --arch STRING.");
            int nClasses = r.GetValue(classes), hw = r.GetValue(size);
            if (nClasses < 1 || hw < 8) throw new NasInputException("--classes must be ≥ 1 and --input-size ≥ 8.");
            Architecture architecture;
            nn.Module<Tensor, Tensor> net;
            if (ckpt is not null)
            {
                var info = Checkpoint.ReadInfo(ckpt);
                architecture = SearchSpaces.Get(info.Space).Parse(info.Architecture);
                net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = nClasses });
                LoadWeights(ckpt, net);
            }
            else
            {
                architecture = SearchSpaces.Get(spaceName ?? "nb201").Parse(archText!);
                manual_seed(r.GetValue(seed));
                net = NetworkFactory.Create(architecture, new NetworkOptions { NumClasses = nClasses });
            }
            net.eval();
            var result = ExportAndVerify(net, 3, hw, r.GetValue(output)!, $"{architecture.Space} {SearchSpaces.Get(architecture.Space).Format(architecture)}", r.GetValue(seed));
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            var t = new Table().AddColumns("", "value");
            foreach (var (k, v) in result) t.AddRow(k, Markup.Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
            ctx.Console.Write(t);
            return result["verified"] is true ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>Exports, writes and verifies; the summary is what `nas export` and `nas run` report.</summary>
    internal static Dictionary<string, object?> ExportAndVerify(nn.Module<Tensor, Tensor> net, int channels, int size, string path, string description, int seed)
    {
        var model = OnnxExporter.ToModel(net, channels, size, size, description);
        OnnxExporter.Save(model, path);
        var check = OnnxVerifier.Verify(net, File.ReadAllBytes(path), [4, channels, size, size], seed);
        return new Dictionary<string, object?>
        {
            ["out"] = Path.GetFullPath(path),
            ["bytes"] = new FileInfo(path).Length,
            ["nodes"] = model.Graph.Node.Count,
            ["operators"] = string.Join(",", model.Graph.Node.Select(n => n.OpType).Distinct().Order()),
            ["max_abs_diff"] = check.MaxAbsDiff,
            ["tolerance"] = OnnxCheck.Tolerance,
            ["verified"] = check.Passed,
            ["description"] = description,
        };
    }

    /// <summary>
    /// Reads the model state of a 'nas train' checkpoint (header: magic string, version int, JSON info; then the module
    /// state) without needing the optimizer the checkpoint also holds.
    /// </summary>
    private static void LoadWeights(string path, nn.Module net)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            reader.ReadString();
            reader.ReadInt32();
            JsonDocument.Parse(reader.ReadString()).Dispose();
            net.load(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or JsonException)
        {
            throw new NasDataException($"Checkpoint '{path}' does not fit its network or is damaged: {e.Message}", e);
        }
    }
}
