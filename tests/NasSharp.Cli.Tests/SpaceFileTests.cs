using System.Text.Json;

namespace NasSharp.Cli.Tests;

/// <summary>--space-file (a user-defined space from JSON) on the commands that take --space.</summary>
public sealed class SpaceFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nas-space-file").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    // One op TG-NAS never saw in training (a 7x7 separable conv), known only by its sentence.
    private string Good() => Write("cli_cell.json", """
        { "name": "cli_cell", "placement": "edges", "nodes": 3, "edges": "all",
          "ops": [ { "name": "skip", "description": "Residual connection", "primitive": "identity" },
                   { "name": "conv3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 },
                   { "name": "sep7", "description": "Depth-wise separable convolution 7 by 7", "primitive": "sep_conv", "kernel": 7 } ] }
        """);

    [Fact]
    public void Space_info_and_sample_read_the_file()
    {
        var file = Good();
        var info = CliRunner.Run("space", "info", "--space-file", file, "--json");
        Assert.Equal(0, info.ExitCode);
        using var doc = JsonDocument.Parse(info.Out);
        Assert.Equal("cli_cell", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(27, doc.RootElement.GetProperty("size").GetInt64()); // 3 ops on 3 edges
        var a = CliRunner.Run("space", "sample", "--space-file", file, "-n", "4", "--seed", "2", "--json");
        var b = CliRunner.Run("space", "sample", "--space-file", file, "-n", "4", "--seed", "2", "--json");
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        using var s = JsonDocument.Parse(a.Out);
        Assert.Equal("cli_cell", s.RootElement.GetProperty("space").GetString());
        Assert.All(s.RootElement.GetProperty("architectures").EnumerateArray(), x => Assert.Matches(@"^\|\w+~0\|\+\|\w+~0\|\w+~1\|$", x.GetProperty("arch").GetString()));
    }

    [Fact]
    public void Tgnas_score_and_search_work_on_the_file_with_an_unseen_op()
    {
        var file = Good();
        var score = CliRunner.Run("tgnas", "score", "--space-file", file, "--arch", "|sep7~0|+|conv3~0|sep7~1|", "--json");
        Assert.Equal(0, score.ExitCode);
        using var doc = JsonDocument.Parse(score.Out);
        Assert.True(double.IsFinite(doc.RootElement.GetProperty("scores")[0].GetProperty("score").GetDouble()));

        var search = CliRunner.Run("tgnas", "search", "--space-file", file, "--strategy", "evolve", "--budget", "20", "--seed", "1", "--json");
        Assert.Equal(0, search.ExitCode);
        using var found = JsonDocument.Parse(search.Out);
        Assert.Equal("cli_cell", found.RootElement.GetProperty("space").GetString());
        Assert.True(found.RootElement.GetProperty("proxy_evaluations").GetInt32() <= 20);

        var again = CliRunner.Run("search", "--space-file", file, "--strategy", "tgnas-prune", "--seed", "0", "--json");
        Assert.Equal(0, again.ExitCode);
    }

    [Theory]
    [InlineData("""{ "name": "bad1", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "description": "A", "primitive": "conv7x7" } ] }""", "unknown primitive 'conv7x7'")]
    [InlineData("""{ "name": "bad2", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "primitive": "identity" } ] }""", "has no \"description\"")]
    [InlineData("""{ "name": "bad3", "placement": "edges", "nodes": 3, "edges": [[0,1],[1,2],[2,1]], "ops": [ { "name": "a", "description": "A", "primitive": "identity" } ] }""", "cyclic")]
    [InlineData("""{ "name": "bad4", "placement": "edges", "nodes": 3, "edges": "all", "ops": [ { "name": "a", "description": "A", "primitive": "identity" }, { "name": "a", "description": "B", "primitive": "zero" } ] }""", "used twice")]
    public void A_bad_file_is_one_line_on_stderr_and_exit_2(string json, string expected)
    {
        var file = Write("bad.json", json);
        foreach (var args in new[] { new[] { "space", "sample", "--space-file", file }, ["tgnas", "score", "--space-file", file, "--arch", "x"] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(expected, r.Err);
            Assert.Contains("bad.json", r.Err);
        }
    }

    [Fact]
    public void Missing_file_and_tgnas_eval_without_a_table_are_input_errors()
    {
        var missing = CliRunner.Run("space", "info", "--space-file", Path.Combine(_dir, "nope.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not found", missing.Err);
        var eval = CliRunner.Run("tgnas", "eval", "--space-file", Good());
        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("no accuracy table", eval.Err);
    }
}
