namespace NasSharp.Cli.Tests;

/// <summary>Issue 14 items 2, 5, 6, 9: counts are bounded and positive, parse errors are plain words, corrupt weights are refused.</summary>
public class BadInputIssue14Tests
{
    [Theory]
    [InlineData("diffusion", "sample", "-n", "2147483647")]
    [InlineData("diffusion", "sample", "-n", "0")]
    [InlineData("tgnas", "search", "--strategy", "evolve", "--budget", "0")]
    [InlineData("tgnas", "search", "--strategy", "evolve", "--budget", "-100")]
    [InlineData("space", "sample", "-n", "-5")]
    public void Count_outside_1_to_a_million_is_refused_naming_the_option(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("must be a whole number from 1 to 1,000,000", r.Err);
        Assert.Contains(args[^2], r.Err);
    }

    [Fact]
    public void Numeric_parse_error_names_the_option_in_plain_words()
    {
        var r = CliRunner.Run("bench", "query", "--space", "nb201", "--index", "1e9");
        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain("System.", r.Err);
        Assert.Contains("--index takes a whole number", r.Err);
    }

    [Fact]
    public void Flipped_byte_in_weights_is_refused_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("nas-weights-");
        try
        {
            var path = Path.Combine(dir.FullName, "s.dnag");
            var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "diffusion", "nb201-score.dnag"));
            bytes[bytes.Length / 2] ^= 1;
            File.WriteAllBytes(path, bytes);
            var r = CliRunner.Run("diffusion", "sample", "-n", "10", "--weights", path);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(path, r.Err);
            Assert.Contains("SHA-256", r.Err);
        }
        finally { dir.Delete(true); }
    }
}
