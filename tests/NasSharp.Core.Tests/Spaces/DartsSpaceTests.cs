using NasSharp.Data;
using NasSharp.Spaces;
using NasSharp.Spaces.Darts;

namespace NasSharp.Core.Tests.Spaces;

public class DartsSpaceTests
{
    private static readonly DartsSpace Space = DartsSpace.Instance;

    // DARTS_V2 exactly as DARTS' genotypes.py prints it (range form of concat as in the original file's namedtuple defaults).
    private const string DartsV2Text =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), " +
        "('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), " +
        "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), " +
        "('max_pool_3x3', 1)], reduce_concat=range(2, 6))";

    [Fact]
    public void Size_IsTheProductOfInputPairsAndOps()
    {
        // Per cell: C(2,2)·C(3,2)·C(4,2)·C(5,2) = 1·3·6·10 = 180 input choices, 7^8 op choices; squared for two cells.
        long perCell = 180L * 5_764_801L;
        Assert.Equal(perCell * perCell, Space.Size);
        Assert.Equal(1_076_746_950_455_072_400L, Space.Size); // ≈ 1.08e18, the "10^18" of the TG-NAS/NB301 papers
    }

    [Fact]
    public void ParsesDartsV2_AndNodeLayoutIsDocumented()
    {
        var arch = Space.Parse(DartsV2Text);
        Assert.Equal(14, arch.NodeCount);
        Assert.Equal(24, arch.Edges.Count); // 2 × (8 op edges + 4 concat edges)
        Assert.Contains(new ArchEdge(2, 5, "dil_conv_3x3"), arch.Edges);        // normal node 5 ← dil_conv_3x3(node 2)
        Assert.Contains(new ArchEdge(7 + 1, 7 + 2, "max_pool_3x3"), arch.Edges); // reduce node 2 ← max_pool(c_{k-1})
        Assert.Contains(new ArchEdge(7 + 5, 7 + 6, DartsSpace.ConcatOp), arch.Edges);
        Assert.Equal(DartsSpace.CanonicalForm(DartsGenotype.DartsV2), DartsSpace.CanonicalForm(DartsSpace.ToGenotype(arch)));
    }

    [Fact]
    public void FormatParse_RoundTrips_ForRandomGenotypes()
    {
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var a = Space.Sample(rng);
            var text = Space.Format(a);
            Assert.StartsWith("Genotype(normal=[('", text);
            Assert.Equal(a, Space.Parse(text));
            Assert.Equal(a, Space.Parse(DartsNotation.FormatCellStrings(DartsSpace.ToGenotype(a))));
            Assert.True(Space.IsValid(a, out var why), why);
        }
    }

    [Fact]
    public void Format_IsTheGenotypeWithEntriesSortedByInput()
    {
        var text = Space.Format(DartsSpace.ToArchitecture(DartsGenotype.DartsV2));
        Assert.Equal(
            "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), " +
            "('sep_conv_3x3', 1), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), " +
            "('max_pool_3x3', 1), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('skip_connect', 2), ('max_pool_3x3', 1), " +
            "('skip_connect', 2)], reduce_concat=[2, 3, 4, 5])", text);
    }

    [Fact]
    public void AllZcNb301Rows_ParseFromBothColumnForms_AndAgree()
    {
        var t = CsvTable.Load(Path.Combine(TestData.Directory, "zc", "zc_nb301.csv.gz"));
        var compact = t.Strings("arch_compact");
        var normal = t.Strings("normal");
        var reduce = t.Strings("reduce");
        Assert.Equal(725, t.RowCount);
        var hashes = new HashSet<string>();
        for (int i = 0; i < t.RowCount; i++)
        {
            var fromCells = DartsSpace.ToArchitecture(DartsNotation.FromCellStrings(normal[i], reduce[i]));
            var fromCompact = Space.Parse(compact[i]);
            Assert.Equal(fromCells, fromCompact);
            Assert.Equal(fromCells, Space.Parse(Space.Format(fromCells)));
            hashes.Add(Space.CanonicalHash(fromCells));
        }
        Assert.Equal(725, hashes.Count); // the README: 725 distinct genotypes
    }

    [Fact]
    public void CanonicalHash_IgnoresEntryOrderAndNodeRelabelling()
    {
        var g = DartsGenotype.DartsV2;
        // Swap the two entries of every node: same architecture, same hash.
        var swapped = g with { Normal = SwapPairs(g.Normal), Reduce = SwapPairs(g.Reduce) };
        Assert.Equal(Space.CanonicalHash(DartsSpace.ToArchitecture(g)), Space.CanonicalHash(DartsSpace.ToArchitecture(swapped)));

        // Nodes 2 and 3 both read only the cell inputs: exchanging them (and renaming references to them) is an isomorphism.
        var a = Cell(("sep_conv_3x3", 0), ("sep_conv_5x5", 1), ("max_pool_3x3", 0), ("dil_conv_3x3", 1),
                     ("avg_pool_3x3", 2), ("sep_conv_3x3", 3), ("skip_connect", 2), ("sep_conv_5x5", 4));
        var b = Cell(("max_pool_3x3", 0), ("dil_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_5x5", 1),
                     ("avg_pool_3x3", 3), ("sep_conv_3x3", 2), ("skip_connect", 3), ("sep_conv_5x5", 4));
        Assert.NotEqual(DartsSpace.ToArchitecture(new(a, a)), DartsSpace.ToArchitecture(new(b, a)));
        Assert.Equal(Space.CanonicalHash(DartsSpace.ToArchitecture(new(a, a))), Space.CanonicalHash(DartsSpace.ToArchitecture(new(b, a))));
        // ...but changing one op, or exchanging normal and reduce cell, changes it.
        var c = a.ToArray(); c[7] = new DartsEntry("sep_conv_3x3", 4);
        Assert.NotEqual(Space.CanonicalHash(DartsSpace.ToArchitecture(new(a, a))), Space.CanonicalHash(DartsSpace.ToArchitecture(new(c, a))));
        Assert.NotEqual(Space.CanonicalHash(DartsSpace.ToArchitecture(new(a, c))), Space.CanonicalHash(DartsSpace.ToArchitecture(new(c, a))));
    }

    [Fact]
    public void CanonicalHash_SkipIsIdentityOnlyAtStrideOne()
    {
        // normal cell: node 5 = skip(node 2) + op vs node 5 reading node 2 through skip is the same as... compare two cells
        // that differ only by which input of a reduction-cell skip is used: stride-2 skip (FactorizedReduce) is a real op.
        var n = DartsGenotype.DartsV2.Normal;
        var r1 = Cell(("skip_connect", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1),
                      ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("max_pool_3x3", 1));
        var form = DartsSpace.CanonicalForm(new DartsGenotype(n, r1));
        Assert.Contains("skip_connect(a)", form); // kept as an op at stride 2
        Assert.DoesNotContain("skip_connect([", form); // transparent at stride 1
    }

    [Fact]
    public void Neighbours_Are120DistinctValidOneEditArchitectures()
    {
        var a = DartsSpace.ToArchitecture(DartsGenotype.DartsV1);
        var ns = Space.Neighbours(a).ToList();
        // per cell: 8 entries × 6 other ops + input moves (node2: 0, node3: 1, node4: 2, node5: 3 per entry, ×2 entries) = 48 + 12
        Assert.Equal(120, ns.Count);
        Assert.Equal(120, ns.Distinct().Count());
        Assert.DoesNotContain(a, ns);
        foreach (var x in ns)
        {
            Assert.True(Space.IsValid(x, out var why), why);
            var diff = x.Edges.Except(a.Edges).Count();
            Assert.Equal(1, diff);
        }
        var rng = new Random(3);
        for (int i = 0; i < 20; i++) Assert.Contains(Space.Mutate(a, rng), ns);
    }

    [Fact]
    public void Sample_IsSeededAndCoversAllOpsAndInputs()
    {
        var r1 = new Random(7); var r2 = new Random(7);
        var a = Enumerable.Range(0, 300).Select(_ => Space.Sample(r1)).ToList();
        var b = Enumerable.Range(0, 300).Select(_ => Space.Sample(r2)).ToList();
        Assert.Equal(a, b);
        var ops = a.SelectMany(x => x.Edges).Select(e => e.Op).Where(o => o != DartsSpace.ConcatOp).Distinct().ToList();
        Assert.Equal(7, ops.Count);
        Assert.DoesNotContain("none", ops);
        Assert.Equal(300, a.Select(Space.CanonicalHash).Distinct().Count()); // collisions among 300 of ~1e18 would mean a bug
    }

    [Theory]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0)], reduce=[])", "has 1 entries")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('conv_9x9', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)])", "Unknown DARTS operation 'conv_9x9'")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)])", "input must be in 0..1")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 0), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)])", "both inputs from node 0")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[4, 5, 6], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)])", "normal_concat is [4, 5, 6]")]
    [InlineData("sep_conv_3x3~0|sep_conv_3x3~1", "NORMAL;REDUCE")]
    [InlineData("0015110113031339|1002130330012036", "op digit 9")]
    [InlineData("resnet50", "Cannot read")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), (sep_conv_3x3, 1)], reduce=[])", "Cannot read")]
    public void BadGenotypes_FailWithAClearMessage(string text, string expected)
    {
        var e = Assert.ThrowsAny<NasInputException>(() => Space.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TgNasGraph_MatchesTheSpecWorkedExample()
    {
        // docs/methods/tg-nas.md §3.4: DARTS_V2 normal cell, 11 nodes; A[i][j] = edge i → j.
        var g = DartsOpGraph.NormalCell(DartsGenotype.DartsV2);
        Assert.Equal(11, g.NodeCount);
        Assert.Equal(["input", "input", "sep_conv_3x3", "sep_conv_3x3", "sep_conv_3x3", "sep_conv_3x3", "sep_conv_3x3",
                      "skip_connect", "skip_connect", "dil_conv_3x3", "output"], g.NodeOps!);
        // receivers (rows of the spec's transposed matrix, without self loops/global node) -> senders
        int[][] senders = [[], [], [0], [1], [0], [1], [1], [0], [0], [2, 3], [2, 3, 4, 5, 6, 7, 8, 9]];
        var a = g.Adjacency();
        for (int j = 0; j < 11; j++)
            for (int i = 0; i < 11; i++)
                Assert.Equal(senders[j].Contains(i), a[i, j]);

        var both = DartsOpGraph.BothCells(DartsGenotype.DartsV2);
        Assert.Equal(20, both.NodeCount);
        var ab = both.Adjacency();
        Assert.True(ab[1, 11] && !ab[0, 11]);  // reduce entry 0 = (max_pool_3x3, 0): its c_{k-2} is the normal cell's c_{k-1}
        Assert.True(ab[10, 12]);               // reduce entry 1 = (max_pool_3x3, 1): its c_{k-1} is the normal cell's output
        Assert.True(ab[11, 13] && ab[12, 13]); // reduce entry 2 = (skip_connect, 2): both op-nodes of reduce node 2
        Assert.Equal(8, Enumerable.Range(0, 20).Count(i => ab[i, 19]));
    }

    private static DartsEntry[] SwapPairs(IReadOnlyList<DartsEntry> cell)
    {
        var c = cell.ToArray();
        for (int k = 0; k < c.Length; k += 2) (c[k], c[k + 1]) = (c[k + 1], c[k]);
        return c;
    }

    private static DartsEntry[] Cell(params (string Op, int Input)[] entries) => entries.Select(e => new DartsEntry(e.Op, e.Input)).ToArray();
}
