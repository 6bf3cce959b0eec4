using NasSharp.Data;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb101;

namespace NasSharp.Core.Tests;

public class Nb101SpaceTests
{
    private static readonly Nb101Space Space = Nb101Space.Instance;

    [Fact]
    public void GraphHashReproducesNasBench101KeysForTheFirstThousandCells()
    {
        var table = CsvTable.Load(Path.Combine(TestData.Directory, "nb101", "nb101_1k.csv.gz"));
        var adj = table.Strings("adjacency"); var ops = table.Strings("ops"); var hashes = table.Strings("nb101_hash");
        Assert.Equal(1000, adj.Length);
        for (int r = 0; r < adj.Length; r++)
        {
            var arch = Space.Parse(adj[r] + ":" + ops[r]);
            Assert.True(Space.IsValid(arch, out var why), why);
            Assert.Equal(hashes[r], Space.CanonicalHash(arch));
        }
    }

    [Fact]
    public void HashIsInvariantToRelabellingInnerNodes()
    {
        // Nodes 1 and 2 are parallel branches from the input into node 3: swapping them is the same cell.
        var a = Space.Parse("0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output");
        var b = Space.Parse("0110000010000100000100000:input,maxpool3x3,conv3x3-bn-relu,conv1x1-bn-relu,output");
        Assert.NotEqual(a, b);
        Assert.Equal(Space.CanonicalHash(a), Space.CanonicalHash(b));
        var c = Space.Parse("0110000010000100000100000:input,conv3x3-bn-relu,maxpool3x3,conv3x3-bn-relu,output");
        Assert.NotEqual(Space.CanonicalHash(a), Space.CanonicalHash(c));
    }

    [Fact]
    public void HashIsInvariantToRandomTopologicalRelabelling()
    {
        var rng = new Random(5);
        for (int t = 0; t < 200; t++)
        {
            var arch = Space.Sample(rng);
            int n = arch.NodeCount;
            // random permutation of inner nodes that keeps edges forward: relabel by a random topological order
            var indeg = new int[n];
            foreach (var e in arch.Edges) indeg[e.To]++;
            var order = new List<int>(); var ready = new List<int> { 0 };
            while (ready.Count > 0)
            {
                var pick = ready.Where(v => v != n - 1 || ready.Count == 1).ToList();
                int v = pick[rng.Next(pick.Count)];
                ready.Remove(v); order.Add(v);
                foreach (var e in arch.Edges.Where(e => e.From == v)) if (--indeg[e.To] == 0) ready.Add(e.To);
            }
            var newIndex = new int[n];
            for (int i = 0; i < n; i++) newIndex[order[i]] = i;
            var relabelled = new Architecture("nb101", n, arch.Edges.Select(e => new ArchEdge(newIndex[e.From], newIndex[e.To])),
                order.Select(v => arch.NodeOps![v]));
            Assert.Equal(Space.CanonicalHash(arch), Space.CanonicalHash(relabelled));
        }
    }

    [Fact]
    public void PruningDropsNodesOffTheInputOutputPath()
    {
        // node 2 has no outgoing edge (dead end), node 3 has no incoming edge: both go.
        var arch = Space.Parse("0110000001000000000100000:input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output");
        var pruned = Nb101Space.Prune(arch)!;
        Assert.Equal("010001000:input,conv3x3-bn-relu,output", Space.Format(pruned));
        Assert.Null(Nb101Space.Prune(Space.Parse("0000:input,output")));
    }

    [Fact]
    public void ValidityEnforcesEdgeLimitAndPath()
    {
        // a full 7-node DAG has 21 edges: too many.
        var full = string.Concat(Enumerable.Range(0, 49).Select(k => k / 7 < k % 7 ? '1' : '0'));
        var arch = Space.Parse(full + ":input,conv3x3,conv3x3,conv3x3,conv3x3,conv3x3,output");
        Assert.False(Space.IsValid(arch, out var why));
        Assert.Contains("at most 9", why);
        Assert.False(Space.IsValid(Space.Parse("0000:input,output"), out why));
        Assert.Contains("no path", why);
    }

    [Theory]
    [InlineData("0110:input,output", "must be strictly upper-triangular")]
    [InlineData("011:input,output", "adjacency has 3 digits")]
    [InlineData("0100:input,conv7x7", "Unknown NB101 operation 'conv7x7'")]
    [InlineData("0100", "exactly one ':'")]
    [InlineData("0200:input,output", "is not 0 or 1")]
    [InlineData("0100:conv3x3,output", "first op must be 'input'")]
    public void MalformedCellsGiveAClearError(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<NasInputException>(() => Space.Parse(text)).Message);

    [Fact]
    public void SamplesAndNeighboursAreValidAndDistinct()
    {
        var rng = new Random(11);
        for (int t = 0; t < 50; t++)
        {
            var arch = Space.Sample(rng);
            Assert.True(Space.IsValid(arch, out var why), why);
            var hash = Space.CanonicalHash(arch);
            var neighbours = Space.Neighbours(arch).ToList();
            Assert.True(neighbours.Count > 0, $"no neighbours for {Space.Format(arch)}");
            Assert.All(neighbours, nb => Assert.True(Space.IsValid(nb, out _)));
            Assert.DoesNotContain(hash, neighbours.Select(Space.CanonicalHash));
            Assert.Equal(neighbours.Count, neighbours.Select(Space.CanonicalHash).Distinct().Count());
        }
    }
}
