using NasSharp.Spaces;
using NasSharp.Torch.Networks;
using NasSharp.Torch.Training;
using static NasSharp.Export.Tests.ExportTestNetworks;
using static TorchSharp.torch;

namespace NasSharp.Export.Tests;

/// <summary>`nas export --checkpoint`: the network is rebuilt from the header and loaded with the saved weights.</summary>
public sealed class CheckpointExportTests : IDisposable
{
    private const string Arch = "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
    private readonly string _dir = Directory.CreateTempSubdirectory("nassharp-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes a checkpoint as `nas train` does (model + optimizer state) for an NB201 network with moved BN statistics.</summary>
    private (string Path, nn.Module<Tensor, Tensor> Net) WriteCheckpoint(CheckpointInfo info, int classes = 10)
    {
        manual_seed(9);
        var net = WithBnStatistics(NetworkFactory.Create(SearchSpaces.Get(info.Space).Parse(info.Architecture), new NetworkOptions { NumClasses = classes }));
        using var optimizer = optim.SGD(net.parameters(), 0.1);
        var path = Path.Combine(_dir, "model.ckpt");
        Checkpoint.Save(path, info, net, optimizer);
        return (path, net);
    }

    [Fact]
    public void Checkpoint_IsRebuiltWithItsWeights_AndExportsVerified()
    {
        var (path, original) = WriteCheckpoint(new CheckpointInfo("nb201", Arch, "cifar10", 1, 64) { NumClasses = 10, InputChannels = 3, ImageSize = 32 });
        var loaded = ExportableNetwork.FromCheckpoint(path, new NetworkShape());
        using (no_grad())
        {
            var x = randn(2, 3, 32, 32);
            Assert.Equal(0.0, (original.call(x) - loaded.Network.call(x)).abs().max().item<float>(), 6); // same weights and BN statistics
        }
        var report = OnnxExport.ToFile(loaded.Network, Path.Combine(_dir, "model.onnx"), 3, 32, loaded.Description, seed: 1);
        Assert.True(report.Check.Passed, $"max |diff| = {report.Check.MaxAbsDiff:E3}");
        Assert.True(report.Bytes > 100_000);
        Assert.StartsWith("nb201 |nor_conv_3x3~0|", loaded.Description);
    }

    [Fact]
    public void RecordedShape_WinsOverTheFallback_AndOldHeadersUseTheFallback()
    {
        var (withShape, _) = WriteCheckpoint(new CheckpointInfo("nb201", Arch, "x", 1, 64) { NumClasses = 7, InputChannels = 3, ImageSize = 24 }, classes: 7);
        var a = ExportableNetwork.FromCheckpoint(withShape, new NetworkShape(10, 3, 32));
        Assert.Equal(new NetworkShape(7, 3, 24), a.Shape);

        var (old, _) = WriteCheckpoint(new CheckpointInfo("nb201", Arch, "x", 1, 64), classes: 7); // written before the shape fields existed
        Assert.Equal(new NetworkShape(7, 3, 20), ExportableNetwork.FromCheckpoint(old, new NetworkShape(7, 3, 20)).Shape);
        var e = Assert.Throws<NasDataException>(() => ExportableNetwork.FromCheckpoint(old, new NetworkShape(10, 3, 32))); // 7 saved, 10 asked
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void CorruptCheckpoints_GiveClearErrors()
    {
        var (path, _) = WriteCheckpoint(new CheckpointInfo("nb201", Arch, "cifar10", 1, 64));
        var bytes = File.ReadAllBytes(path);

        var garbage = Path.Combine(_dir, "garbage.ckpt");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))]);
        Assert.Contains("is not a NasSharp checkpoint", Assert.Throws<NasDataException>(() => ExportableNetwork.FromCheckpoint(garbage, new NetworkShape())).Message);

        var truncated = Path.Combine(_dir, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        Assert.Contains("is damaged", Assert.Throws<NasDataException>(() => ExportableNetwork.FromCheckpoint(truncated, new NetworkShape())).Message);

        var missing = Path.Combine(_dir, "missing.ckpt");
        Assert.Contains("not found", Assert.Throws<NasInputException>(() => ExportableNetwork.FromCheckpoint(missing, new NetworkShape())).Message);
    }

    [Fact]
    public void CheckpointOfAnUnknownSpace_AsksForTheSpaceFile()
    {
        var (path, _) = WriteCheckpoint(new CheckpointInfo("nb201", Arch, "cifar10", 1, 64));
        var bytes = File.ReadAllBytes(path);
        // Same file with the header naming an unregistered user space (same string length keeps the rest aligned).
        var renamed = Path.Combine(_dir, "user.ckpt");
        var text = System.Text.Encoding.UTF8.GetBytes("\"Space\":\"nb201\"");
        var other = System.Text.Encoding.UTF8.GetBytes("\"Space\":\"zz999\"");
        int at = bytes.AsSpan().IndexOf(text);
        Assert.True(at > 0);
        other.CopyTo(bytes, at);
        File.WriteAllBytes(renamed, bytes);
        var e = Assert.Throws<NasInputException>(() => ExportableNetwork.FromCheckpoint(renamed, new NetworkShape()));
        Assert.Contains("--space-file", e.Message);
        Assert.Contains("zz999", e.Message);
    }
}
