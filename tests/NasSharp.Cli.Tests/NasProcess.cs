using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NasSharp.Cli.Tests;

/// <summary>The built `nas` CLI (nas.dll next to the tests) in a child process, with its stderr collected, for signal tests.</summary>
internal sealed class NasProcess : IDisposable
{
    private readonly StringBuilder _err = new();

    private NasProcess(Process p) => Process = p;

    public Process Process { get; }
    public string Err { get { lock (_err) return _err.ToString(); } }

    public static NasProcess Start(string[] args)
    {
        var nas = Path.Combine(AppContext.BaseDirectory, "nas.dll");
        Assert.True(File.Exists(nas), $"{nas} is missing: the test needs the built CLI next to the tests");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[nas, "--data-dir", TestData.Directory, .. args]) psi.ArgumentList.Add(a);
        var result = new NasProcess(Process.Start(psi)!);
        result.Process.OutputDataReceived += (_, _) => { };
        result.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (result._err) result._err.AppendLine(e.Data); };
        result.Process.BeginOutputReadLine();
        result.Process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Trials of a study stored so far, read-only (0 while the child has not created the store yet).</summary>
    public static int StoredTrials(string path, string study)
    {
        if (!File.Exists(path)) return 0;
        try
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            c.Open();
            using (var pragma = c.CreateCommand()) { pragma.CommandText = "PRAGMA busy_timeout = 2000"; pragma.ExecuteNonQuery(); }
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM trials WHERE study = $s";
            cmd.Parameters.AddWithValue("$s", study);
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
        catch (SqliteException) { return 0; }
    }

    public void Dispose()
    {
        if (!Process.HasExited) { Process.Kill(); Process.WaitForExit(); }
        Process.WaitForExit(); // drain the stderr reader
        Process.Dispose();
    }
}
