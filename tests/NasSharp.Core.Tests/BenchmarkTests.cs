using NasSharp.Benchmarks;
using NasSharp.Spaces.Nb101;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Core.Tests;

public class BenchmarkTests
{
    private static Nb201Benchmark Nb201 => (Nb201Benchmark)BenchmarkTables.Load("nb201", TestData.Directory);

    [Fact]
    public void BestCifar10ArchitectureIsIndex6111At94_37()
    {
        var acc = Nb201.Query(6111, "cifar10", BenchMetric.TestAccuracy);
        Assert.Equal(94.37, acc!.Value, 2);
        Assert.Equal(6111, Nb201.TopK("cifar10", BenchMetric.ValidAccuracy, 1)[0].Index);
        Assert.Equal(91.6067, Nb201.Query(6111, "cifar10", BenchMetric.ValidAccuracy)!.Value, 4);
        Assert.Equal(9930, Nb201.TopK("cifar100", BenchMetric.TestAccuracy, 1)[0].Index);
        Assert.Equal(857, Nb201.TopK("ImageNet16-120", BenchMetric.TestAccuracy, 1)[0].Index);
    }

    [Fact]
    public void TableOrderAgreesWithReplayedIndexShuffleAndIsoClasses()
    {
        // The loader already checks every row's string against Nb201Index; here the table's iso_rep partition must equal ours.
        var space = Nb201Space.Instance;
        var classOf = new Dictionary<string, int>();
        for (int i = 0; i < Nb201Space.SpaceSize; i++)
        {
            var hash = space.CanonicalHash(Nb201Index.ToArchitecture(i));
            if (!classOf.TryGetValue(hash, out var rep)) classOf[hash] = rep = i;
            Assert.Equal(Nb201.IsoRep[i], rep);
        }
    }

    [Fact]
    public void MissingMetricsAreNullNeverZero()
    {
        Assert.Null(Nb201.Query(6111, "cifar100", BenchMetric.ValidAccuracy)); // 200-epoch cifar100 valid mean not in the table
        Assert.Null(Nb201.Query(10, "cifar10", "naswot_v1"));                   // NaN in the source for a disconnected cell
        Assert.Equal(10, Nb201.Query(10, "cifar10", BenchMetric.TestAccuracy));
        var nb101 = BenchmarkTables.Load("nb101", TestData.Directory);
        Assert.Null(nb101.Query(0, "cifar10", BenchMetric.TestAccuracy));
    }

    [Fact]
    public void ParamsFollowTheClosedFormAndTheClassifierSize()
    {
        // 10-class NB201 network: 73,306 + 243,040·n3 + 28,000·n1 parameters; index 6111 has four 3x3 and one 1x1 conv.
        Assert.Equal(1.073466, Nb201.Query(6111, "cifar10", BenchMetric.ParamsM)!.Value, 6);
        Assert.Equal(1.073466 + 65 * 90 / 1e6, Nb201.Query(6111, "cifar100", BenchMetric.ParamsM)!.Value, 6);
    }

    [Fact]
    public void SummaryMatchesThePublishedColumnStatistics()
    {
        var s = Nb201.Summary("cifar10", BenchMetric.TestAccuracy);
        Assert.Equal(15625, s.Count);
        Assert.Equal(87.0629, s.Mean, 3);
        Assert.Equal(90.745, s.Median, 3);
        Assert.Equal(94.3733, s.Max, 4);
        Assert.Equal(6111, s.MaxIndex);
        var zen = Nb201.Summary("cifar10", "naswot_v1");
        Assert.Equal(15284, zen.Count);
        Assert.Equal(341, zen.Missing);
    }

    [Fact]
    public void Nb101TableIsFoundByAnyIsomorphicFormOfACell()
    {
        var nb101 = (Nb101Benchmark)BenchmarkTables.Load("nb101", TestData.Directory);
        Assert.Equal(30001, nb101.Count);
        var arch = nb101.ArchitectureAt(123);
        Assert.Equal(123, nb101.IndexOf(arch));
        Assert.Equal(nb101.HashAt(123), Nb101Space.Instance.CanonicalHash(arch));
        Assert.InRange(nb101.Query(123, "cifar10", BenchMetric.ValidAccuracy)!.Value, 9, 96);
    }

    [Fact]
    public void MissingAndCorruptFilesGiveClearErrors()
    {
        var empty = Directory.CreateTempSubdirectory("nassharp-test");
        try
        {
            var missing = Assert.Throws<NasDataException>(() => Nb201Benchmark.Load(empty.FullName));
            Assert.Contains("NAS-Bench-201 table not found", missing.Message);
            Assert.Contains("NASSHARP_DATA", missing.Message);

            Directory.CreateDirectory(Path.Combine(empty.FullName, "nb201"));
            File.WriteAllText(Path.Combine(empty.FullName, Nb201Benchmark.RelativePath), "this is not gzip");
            Assert.Contains("not a valid gzip file", Assert.Throws<NasDataException>(() => Nb201Benchmark.Load(empty.FullName)).Message);

            using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(empty.FullName, Nb201Benchmark.RelativePath)), System.IO.Compression.CompressionLevel.Fastest))
            using (var w = new StreamWriter(gz)) w.Write("index,arch\n0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|\n");
            Assert.Contains("it has no column", Assert.Throws<NasDataException>(() => Nb201Benchmark.Load(empty.FullName)).Message);
        }
        finally { empty.Delete(true); }
    }

    [Fact]
    public void UnknownDatasetAndMetricAreInputErrors()
    {
        Assert.Contains("Unknown dataset 'mnist'", Assert.Throws<NasInputException>(() => Nb201.Query(0, "mnist", BenchMetric.TestAccuracy)).Message);
        Assert.Contains("Unknown NB201 metric", Assert.Throws<NasInputException>(() => Nb201.Query(0, "cifar10", "bogus")).Message);
    }
}
