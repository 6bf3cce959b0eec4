using NasSharp.Torch.Data;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests;

public class CifarBinaryTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nassharp-cifar-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly Normalization Raw = new([0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255]); // keeps 0..255 values

    private string Write(string name, params (byte Label, Func<int, int, int, byte> Pixel)[] records)
    {
        var bytes = new List<byte>();
        foreach (var (label, pixel) in records)
        {
            bytes.Add(label);
            for (int c = 0; c < 3; c++) for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) bytes.Add(pixel(c, y, x));
        }
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    [Fact]
    public void ReadsLabelsAndPlanarRgbPixels()
    {
        var path = Write("two.bin", (3, (c, y, x) => (byte)(c * 100 + y)), (9, (c, y, x) => (byte)(x + 7)));
        using var ds = CifarBinary.Load(path, Raw);
        Assert.Equal(2, ds.Count);
        Assert.Equal(new long[] { 3, 9 }, ds.Labels.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3, 32, 32 }, ds.Images.shape);
        Assert.Equal(ScalarType.Float32, ds.Images.dtype);
        Assert.Equal(205f, ds.Images[0, 2, 5, 11].item<float>(), 3);   // channel 2 (B), row 5
        Assert.Equal(17f, ds.Images[1, 0, 30, 10].item<float>(), 3);   // column 10 + 7
    }

    [Fact]
    public void NormalisesWithCifarMeanAndStd()
    {
        var path = Write("one.bin", (0, (c, y, x) => 128));
        using var ds = CifarBinary.Load(path);
        var n = Normalization.Cifar10;
        for (int c = 0; c < 3; c++)
            Assert.Equal((128f / 255f - n.Mean[c]) / n.Std[c], ds.Images[0, c, 16, 16].item<float>(), 5);
    }

    [Fact]
    public void TruncatedFileIsADataErrorNamingTheFile()
    {
        var path = Write("full.bin", (1, (c, y, x) => 0));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..3000]);
        var e = Assert.Throws<NasDataException>(() => CifarBinary.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void LabelOutOfRangeIsADataError()
    {
        var path = Write("bad.bin", (42, (c, y, x) => 0));
        var e = Assert.Throws<NasDataException>(() => CifarBinary.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Throws<NasDataException>(() => CifarBinary.Load(Path.Combine(dir, "missing.bin")));
    }

    [Fact]
    public void RealSampleHasTheOfficialLabelsAndPixelStatistics()
    {
        var path = Path.Combine(TestData.Directory, "cifar10-sample", "cifar10_test_sample.bin");
        using var ds = CifarBinary.Load(path, Raw);
        Assert.Equal(1000, ds.Count);
        // The well-known start of the official test set (data README).
        Assert.Equal(new long[] { 3, 8, 8, 0, 6, 6, 1, 6, 3, 1, 0, 9, 5, 7, 9, 8, 5, 7, 8, 6 }, ds.Labels.narrow(0, 0, 20).data<long>().ToArray());
        var mean = ds.Images.mean([0L, 2L, 3L]).data<float>().ToArray();
        Assert.Equal(126.67, mean[0], 1);
        Assert.Equal(124.10, mean[1], 1);
        Assert.Equal(115.01, mean[2], 1);
        using var limited = CifarBinary.Load(path, limit: 64);
        Assert.Equal(64, limited.Count);
    }

    [Fact]
    public void BatchSamplerIsSeededPerEpochAndCoversEveryImage()
    {
        var s = new BatchSampler(100, 32, seed: 5);
        Assert.Equal(4, s.BatchesPerEpoch);
        var e0 = s.Order(0);
        Assert.Equal(e0, new BatchSampler(100, 32, seed: 5).Order(0));
        Assert.NotEqual(e0, s.Order(1));
        Assert.NotEqual(e0, new BatchSampler(100, 32, seed: 6).Order(0));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), e0.Order());
        var batches = s.Batches(0).Select(t => t.data<long>().ToArray()).ToList();
        Assert.Equal(new[] { 32, 32, 32, 4 }, batches.Select(b => b.Length));
        Assert.Equal(e0, batches.SelectMany(b => b));
        Assert.Equal(3, new BatchSampler(100, 32, 5, dropLast: true).Batches(0).Count());
    }
}
