using System.Net;
using System.Net.Sockets;
using NasSharp.Distributed.Security;

namespace NasSharp.Cli.Tests;

/// <summary>`nas worker` refuses bad set-ups with one line and exit 2, before it joins any cluster.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nassharp-worker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SecretFile()
    {
        string path = Path.Combine(_dir, "cluster.secret");
        if (!File.Exists(path)) ClusterSecret.WriteNewFile(path);
        return path;
    }

    private static void AssertOneLine(CliRunner.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_busy_silo_port_is_named_with_its_option()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((IPEndPoint)busy.LocalEndpoint).Port;
            var r = CliRunner.Run("worker", "--cluster", $"localhost:{port}", "--gateway-port", "0", "--secret-file", SecretFile());
            AssertOneLine(r, $"Port {port} (--silo-port)");
        }
        finally { busy.Stop(); }
    }

    [Fact]
    public void Advertising_beyond_loopback_without_a_secret_is_refused_unless_insecure()
    {
        var r = CliRunner.Run("worker", "--cluster", "redis://127.0.0.1:1", "--advertise", "10.0.0.11");
        AssertOneLine(r, "--secret-file");
        Assert.Contains("--insecure", r.Err);
    }

    [Fact]
    public void A_secret_file_other_users_can_read_is_refused()
    {
        string path = SecretFile();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var r = CliRunner.Run("cluster", "status", "--secret-file", path);
        AssertOneLine(r, "chmod 600");
    }

    [Fact]
    public void A_worker_without_its_data_directory_stops_before_joining()
    {
        string missing = Path.Combine(_dir, "no-data");
        var stdout = new StringWriter(); var stderr = new StringWriter();
        int code = CliApp.Run(["--data-dir", missing, "worker", "--secret-file", SecretFile()], stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains(missing, stderr.ToString());
    }
}
