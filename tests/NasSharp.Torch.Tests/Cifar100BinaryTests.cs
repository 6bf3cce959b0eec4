using NasSharp.Torch.Data;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests;

public class Cifar100BinaryTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nassharp-cifar100-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly Normalization Raw = new([0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255]); // keeps 0..255 values

    private string Write(string name, params (byte Coarse, byte Fine, Func<int, int, int, byte> Pixel)[] records)
    {
        var bytes = new List<byte>();
        foreach (var (coarse, fine, pixel) in records)
        {
            bytes.Add(coarse);
            bytes.Add(fine);
            for (int c = 0; c < 3; c++) for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) bytes.Add(pixel(c, y, x));
        }
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    [Fact]
    public void ReadsFineAndCoarseLabelsAndPlanarRgbPixels()
    {
        var path = Write("two.bin", (4, 72, (c, y, x) => (byte)(c * 100 + y)), (19, 99, (c, y, x) => (byte)(x + 7)));
        using var ds = Cifar100Binary.Load(path, Raw);
        Assert.Equal(2, ds.Count);
        Assert.Equal(new long[] { 72, 99 }, ds.Fine.Labels.data<long>().ToArray());
        Assert.Equal(new long[] { 4, 19 }, ds.CoarseLabels);
        Assert.Equal(100, ds.Fine.NumClasses);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, ds.Fine.Images.shape);
        Assert.Equal(205f, ds.Fine.Images[0, 2, 5, 11].item<float>(), 3);   // channel 2 (B), row 5: the label bytes are skipped
        Assert.Equal(17f, ds.Fine.Images[1, 0, 30, 10].item<float>(), 3);   // column 10 + 7
    }

    [Fact]
    public void NormalisesWithCifar100MeanAndStd()
    {
        var path = Write("one.bin", (0, 0, (c, y, x) => 200));
        using var ds = Cifar100Binary.Load(path);
        var n = Cifar100Binary.Normalization;
        for (int c = 0; c < 3; c++)
            Assert.Equal((200f / 255f - n.Mean[c]) / n.Std[c], ds.Fine.Images[0, c, 16, 16].item<float>(), 5);
    }

    [Fact]
    public void WrongSizeFileIsADataErrorNamingTheFileAndTheRecordSize()
    {
        var path = Write("full.bin", (1, 2, (c, y, x) => 0), (1, 2, (c, y, x) => 0));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..(2 * 3073)]);   // two CIFAR-10-sized records
        var e = Assert.Throws<NasDataException>(() => Cifar100Binary.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("3074", e.Message);
        File.WriteAllBytes(path, []);
        Assert.Throws<NasDataException>(() => Cifar100Binary.Load(path));
        Assert.Throws<NasDataException>(() => Cifar100Binary.Load(Path.Combine(dir, "missing.bin")));
    }

    [Fact]
    public void LabelOutOfRangeIsADataError()
    {
        var fine = Write("fine.bin", (3, 100, (c, y, x) => 0));
        Assert.Contains(fine, Assert.Throws<NasDataException>(() => Cifar100Binary.Load(fine)).Message);
        var coarse = Write("coarse.bin", (20, 5, (c, y, x) => 0));
        Assert.Throws<NasDataException>(() => Cifar100Binary.Load(coarse));
    }

    [Fact]
    public void RealSampleHasTheOfficialLabelsAndPixelStatistics()
    {
        var path = Path.Combine(TestData.Directory, "cifar10-sample", "cifar100_test_sample.bin");
        using var ds = Cifar100Binary.Load(path, Raw);
        Assert.Equal(916, ds.Count);
        // The start of the official CIFAR-100 test set (data README: mountain, forest, seal, …).
        Assert.Equal(new long[] { 49, 33, 72, 51, 71, 92, 15, 14, 23, 0 }, ds.Fine.Labels.narrow(0, 0, 10).data<long>().ToArray());
        var mean = ds.Fine.Images.mean([0L, 2L, 3L]).data<float>().ToArray();
        Assert.Equal(129.15, mean[0], 0.05);
        Assert.Equal(123.65, mean[1], 0.05);
        Assert.Equal(112.07, mean[2], 0.05);
        using var limited = Cifar100Binary.Load(path, limit: 64);
        Assert.Equal(64, limited.Count);
    }
}
