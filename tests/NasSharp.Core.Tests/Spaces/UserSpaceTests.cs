using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using NasSharp.Spaces.UserDefined;

namespace NasSharp.Core.Tests.Spaces;

public class UserSpaceTests
{
    /// <summary>NAS-Bench-201 written as a user space (same op names, all 6 forward edges of a 4-node cell).</summary>
    private const string Nb201Like = """
        { "name": "nb201-copy", "placement": "edges", "nodes": 4, "edges": "all",
          "ops": [ { "name": "none", "description": "None", "primitive": "zero" },
                   { "name": "skip_connect", "description": "Residual connection", "primitive": "identity" },
                   { "name": "nor_conv_1x1", "description": "Convolution 1 by 1", "primitive": "conv", "kernel": 1 },
                   { "name": "nor_conv_3x3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                   { "name": "avg_pool_3x3", "description": "Average pooling 3 by 3", "primitive": "avg_pool", "kernel": 3 } ] }
        """;

    private static string ExampleFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "docs", "examples", "user_space.json");
            if (File.Exists(p)) return p;
        }
        throw new InvalidOperationException("docs/examples/user_space.json not found above the test directory.");
    }

    [Fact]
    public void ExampleFile_Loads_AndEnumerates46656()
    {
        var s = UserSpace.Load(ExampleFile());
        Assert.Equal("dilated_cell", s.Name);
        Assert.Equal(46_656, s.Size);
        Assert.True(s.CanEnumerate);
        Assert.Equal("Dilated convolution 5 by 5", s.Operations.Single(o => o.Name == "dil5").Description);
        var all = s.Enumerate().ToList();
        Assert.Equal(46_656, all.Count);
        Assert.Equal(46_656, all.Distinct().Count());
    }

    [Fact]
    public void Nb201Copy_FormatsLikeNb201_AndParsesNb201Strings()
    {
        var s = UserSpace.FromJson(Nb201Like);
        Assert.Equal(15_625, s.Size);
        var rng = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            var nb = Nb201Space.Instance.Sample(rng);
            var text = Nb201Space.Instance.Format(nb);
            var a = s.Parse(text);
            Assert.Equal(text, s.Format(a));
            Assert.Equal(nb.Edges, a.Edges); // same edges, same ops, same order
        }
    }

    [Fact]
    public void CanonicalForm_OnTheNb201Copy_NeverSplitsAnNb201Class()
    {
        // Our form removes zeros completely (NATS' string keeps '#' placeholders), so it may merge more, never less:
        // every NB201 class maps to one of our classes.
        var s = UserSpace.FromJson(Nb201Like);
        var ours = new Dictionary<string, string>();
        var classes = new HashSet<string>();
        foreach (var nb in Nb201Space.Instance.Enumerate())
        {
            var a = s.Parse(Nb201Space.Instance.Format(nb));
            var h = s.CanonicalHash(a);
            classes.Add(h);
            var key = Nb201Space.Instance.CanonicalHash(nb);
            if (ours.TryGetValue(key, out var prev)) Assert.Equal(prev, h);
            else ours[key] = h;
        }
        Assert.Equal(6466, ours.Count);
        // Fewer classes than NATS' 6,466: we drop zero branches entirely where NATS keeps '#' placeholders ("#+#").
        Assert.Equal(4930, classes.Count);
    }

    [Fact]
    public void CanonicalHash_UsesWhatOpsCompute_NotTheirNames()
    {
        var s = UserSpace.FromJson("""
            { "name": "aliases", "placement": "edges", "nodes": 3, "edges": [[0,1],[1,2],[0,2]],
              "ops": [ { "name": "c3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                       { "name": "conv3x3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                       { "name": "id", "description": "Residual connection", "primitive": "identity" },
                       { "name": "zero", "description": "None", "primitive": "zero" } ] }
            """);
        Assert.Equal(s.CanonicalHash(s.Parse("|c3~0|+|id~0|conv3x3~1|")), s.CanonicalHash(s.Parse("|conv3x3~0|+|id~0|c3~1|")));
        Assert.NotEqual(s.CanonicalHash(s.Parse("|c3~0|+|id~0|c3~1|")), s.CanonicalHash(s.Parse("|c3~0|+|c3~0|id~1|")));
        // output cut off: zero edge into the output and the only path through a zero edge
        Assert.Equal("[]", s.CanonicalForm(s.Parse("|zero~0|+|zero~0|c3~1|")));
    }

    [Fact]
    public void NodePlacement_RoundTripsAndHashes()
    {
        var s = UserSpace.FromJson("""
            { "name": "chain", "placement": "nodes", "nodes": 5, "edges": [[0,1],[0,2],[1,3],[2,3],[3,4]],
              "ops": [ { "name": "conv3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                       { "name": "maxpool", "description": "Max pooling 3 by 3", "primitive": "max_pool", "kernel": 3 } ] }
            """);
        Assert.Equal(8, s.Size);
        var all = s.Enumerate().ToList();
        foreach (var a in all) Assert.Equal(a, s.Parse(s.Format(a)));
        Assert.Equal("|conv3|+|maxpool|+|conv3|", s.Format(all[2]));
        // nodes 1 and 2 are symmetric: (conv3, maxpool, x) ≡ (maxpool, conv3, x)
        Assert.Equal(s.CanonicalHash(s.Parse("|conv3|+|maxpool|+|conv3|")), s.CanonicalHash(s.Parse("|maxpool|+|conv3|+|conv3|")));
        Assert.Equal(6, all.Select(s.CanonicalHash).Distinct().Count()); // 8 minus the 2 swapped pairs
        Assert.Equal(ArchitectureConversion.InputOp, all[0].NodeOps![0]);
    }

    [Fact]
    public void Neighbours_And_Mutation_ChangeOneSlot()
    {
        var s = UserSpace.Load(ExampleFile());
        var a = s.Sample(new Random(9));
        var ns = s.Neighbours(a).ToList();
        Assert.Equal(6 * 5, ns.Count);
        Assert.All(ns, n => Assert.Single(n.Edges.Except(a.Edges)));
        var rng = new Random(1);
        Assert.Contains(s.Mutate(a, rng), ns);
    }

    [Theory]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "description": "A", "primitive": "conv7x7" } ] }""", "unknown primitive 'conv7x7'")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "primitive": "identity" } ] }""", "op 'a' has no \"description\"")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "description": "A", "primitive": "identity" }, { "name": "a", "description": "B", "primitive": "zero" } ] }""", "op name 'a' is used twice")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": [[0,1],[1,2],[2,1]], "ops": [ { "name": "a", "description": "A", "primitive": "identity" } ] }""", "cyclic: 1 → 2 → 1")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 4, "edges": [[0,1],[1,3]], "ops": [ { "name": "a", "description": "A", "primitive": "identity" } ] }""", "node 2 cannot be reached")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": [[0,2],[2,1],[0,1]], "ops": [ { "name": "a", "description": "A", "primitive": "identity" } ] }""", "topological order")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "description": "A", "primitive": "conv" } ] }""", "needs a \"kernel\"")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "description": "A", "primitive": "conv", "kernel": 4 } ] }""", "kernel 4")]
    [InlineData("""{ "name": "x", "placement": "diagonal", "nodes": 3, "edges": "all", "ops": [] }""", "\"placement\" is 'diagonal'")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "opz": [] }""", "not a valid space definition")]
    [InlineData("""{ "name": "nb201", "placement": "edges", "nodes": 3, "edges": "all", "ops": [] }""", "built-in space")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a~b", "description": "A", "primitive": "identity" } ] }""", "no valid \"name\"")]
    [InlineData("""{ "name": "x", "placement": "edges", "nodes": 3, "edges": [[0,1],[0,1],[1,2]], "ops": [ { "name": "a", "description": "A", "primitive": "identity" } ] }""", "listed twice")]
    [InlineData("""not json""", "not a valid space definition")]
    public void BadFiles_FailWithAClearMessage(string json, string expected)
    {
        var e = Assert.ThrowsAny<NasInputException>(() => UserSpace.FromJson(json, "my.json"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("my.json", e.Message);
    }

    [Fact]
    public void BadArchitectureStrings_FailWithAClearMessage()
    {
        var s = UserSpace.Load(ExampleFile());
        Assert.Contains("Unknown op 'conv9'", Assert.ThrowsAny<NasInputException>(() => s.Parse("|conv9~0|+|skip~0|conv3~1|+|skip~0|conv3~1|conv3~2|")).Message);
        Assert.Contains("node 2 has 2 input(s)", Assert.ThrowsAny<NasInputException>(() => s.Parse("|skip~0|+|skip~0|+|skip~0|conv3~1|conv3~2|")).Message);
        Assert.Throws<NasInputException>(() => UserSpace.Load("/no/such/space.json"));
    }
}
