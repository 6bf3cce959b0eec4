using NasSharp.Distributed.Security;

namespace NasSharp.Distributed.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are the point of these tests
public sealed class ClusterSecretTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nassharp-secret-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_secret_file_that_others_can_read_is_refused_like_ssh_does()
    {
        string path = Path.Combine(_dir, "s");
        File.WriteAllText(path, ClusterSecret.NewSecretText());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<NasInputException>(() => ClusterSecret.FromFile(path));
        Assert.Contains("chmod 600", e.Message);
        Assert.Contains("0644", e.Message);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.False(ClusterSecret.FromFile(path).IsNone);
    }

    [Fact]
    public void LoadOrCreate_writes_a_private_file_once_and_then_reuses_it()
    {
        string path = Path.Combine(_dir, "config", "nassharp", "cluster.secret");
        ClusterSecret.LoadOrCreate(path);
        string first = File.ReadAllText(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        ClusterSecret.LoadOrCreate(path);
        Assert.Equal(first, File.ReadAllText(path));
        Assert.True(first.Trim().Length >= ClusterSecret.MinimumLength);
    }

    [Fact]
    public void A_short_or_missing_secret_is_refused_and_the_secret_is_never_printed()
    {
        Assert.Throws<NasInputException>(() => ClusterSecret.FromText("short", "$NASSHARP_CLUSTER_SECRET"));
        Assert.Contains("not found", Assert.Throws<NasInputException>(() => ClusterSecret.FromFile(Path.Combine(_dir, "none"))).Message);
        string text = ClusterSecret.NewSecretText();
        Assert.DoesNotContain(text, ClusterSecret.FromText(text, "env").ToString());
    }
}
