using System.Buffers.Binary;
using System.IO.Compression;
using NasSharp.Torch.Data;
using static TorchSharp.torch;

namespace NasSharp.Torch.Tests;

public class IdxLoaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nassharp-idx-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly Normalization Raw = new([0f], [1f / 255]); // keeps 0..255 values

    private static byte[] Idx(int[] shape, byte[] data, byte type = 0x08)
    {
        var header = new byte[4 + 4 * shape.Length];
        header[2] = type;
        header[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), shape[d]);
        return [.. header, .. data];
    }

    private (string Images, string Labels) WriteSet(int n, byte[] labels, bool gzip = false)
    {
        var pixels = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) pixels[(i * 28 + y) * 28 + x] = (byte)(10 * i + y);
        string img = Path.Combine(dir, "train-images-idx3-ubyte"), lab = Path.Combine(dir, "train-labels-idx1-ubyte");
        Write(img, Idx([n, 28, 28], pixels), gzip);
        Write(lab, Idx([labels.Length], labels), gzip);
        return (gzip ? img + ".gz" : img, gzip ? lab + ".gz" : lab);
    }

    private static void Write(string path, byte[] bytes, bool gzip)
    {
        if (!gzip) { File.WriteAllBytes(path, bytes); return; }
        using var f = File.Create(path + ".gz");
        using var gz = new GZipStream(f, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    [Fact]
    public void Rgb32LayoutPadsWithBlackAndReplicatesTheChannel()
    {
        WriteSet(3, [7, 0, 9]);
        using var ds = FashionMnist.Load(dir, train: true, layout: FashionMnist.GrayscaleLayout.Rgb32, normalization: Raw);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, ds.Images.shape);
        Assert.Equal(new long[] { 7, 0, 9 }, ds.Labels.data<long>().ToArray());
        Assert.Equal(0f, ds.Images[1, 0, 0, 0].item<float>(), 3);            // padding
        Assert.Equal(0f, ds.Images[1, 2, 31, 31].item<float>(), 3);
        Assert.Equal(10f * 2 + 5, ds.Images[2, 1, 2 + 5, 2 + 9].item<float>(), 3); // image 2, source row 5, shifted by 2
        Assert.True(ds.Images[.., 0].eq(ds.Images[.., 2]).all().item<bool>(), "channels must be copies");
    }

    [Fact]
    public void NativeLayoutKeepsOneChannelAndNormalises()
    {
        WriteSet(2, [1, 2], gzip: true);
        using var ds = FashionMnist.Load(dir, train: true, layout: FashionMnist.GrayscaleLayout.Native);
        Assert.Equal(new long[] { 2, 1, 28, 28 }, ds.Images.shape);
        var n = Normalization.FashionMnist;
        Assert.Equal((13f / 255f - n.Mean[0]) / n.Std[0], ds.Images[1, 0, 3, 0].item<float>(), 5);
    }

    [Fact]
    public void WrongMagicTruncationAndCountMismatchAreDataErrorsNamingTheFile()
    {
        var (img, lab) = WriteSet(2, [1, 2]);
        var bytes = File.ReadAllBytes(img);

        File.WriteAllBytes(img, [0x12, 0x34, .. bytes[2..]]);
        Assert.Contains(img, Assert.Throws<NasDataException>(() => FashionMnist.Load(dir, true)).Message);

        File.WriteAllBytes(img, bytes[..^5]);
        var truncated = Assert.Throws<NasDataException>(() => FashionMnist.Load(dir, true));
        Assert.Contains(img, truncated.Message);
        Assert.Contains("truncated", truncated.Message);

        File.WriteAllBytes(img, bytes);
        File.WriteAllBytes(lab, Idx([3], [1, 2, 3]));
        Assert.Contains(lab, Assert.Throws<NasDataException>(() => FashionMnist.Load(dir, true)).Message);

        File.WriteAllBytes(lab, Idx([2], [1, 12]));
        Assert.Contains(lab, Assert.Throws<NasDataException>(() => FashionMnist.Load(dir, true)).Message);

        File.WriteAllBytes(lab, Idx([2], [1, 2], type: 0x0D)); // float data
        Assert.Contains(lab, Assert.Throws<NasDataException>(() => FashionMnist.Load(dir, true)).Message);

        Assert.Throws<NasDataException>(() => FashionMnist.Load(dir, train: false)); // no t10k files
    }

    [Fact]
    public void RealFashionMnistTestSetStartsWithItsKnownLabels()
    {
        using var ds = TrainingData.Load("fashion-mnist", Path.Combine(dir, "no-such-data-dir"), train: false, limit: 500);
        Assert.Equal(500, ds.Count);
        Assert.Equal(new long[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, ds.Labels.narrow(0, 0, 10).data<long>().ToArray());
        Assert.Equal(new long[] { 500, 3, 32, 32 }, ds.Images.shape);
    }

    [Fact]
    public void UnknownDatasetIsAnInputError() =>
        Assert.Throws<NasInputException>(() => TrainingData.Load("mnist-3d", dir, true));
}
