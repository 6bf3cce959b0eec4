using System.Diagnostics;
using System.Reflection;

namespace NasSharp.Distributed.Orleans;

/// <summary>How to start `nas` as a child process: the apphost, or `dotnet nas.dll`.</summary>
public sealed record NasCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The `nas` this process is running as (for `nas cluster bench`).</summary>
    public static NasCommand Current()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable is running.");
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return FromDll(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("No entry assembly."));
        return new NasCommand(process, []);
    }

    public static NasCommand FromDll(string nasDll) =>
        File.Exists(nasDll) ? new NasCommand("dotnet", [nasDll]) : throw new NasInputException($"nas.dll not found at {nasDll}; build src/NasSharp.Cli first.");
}

/// <summary>
/// A `nas worker` child process on this machine (throughput measurements and the multi-process fault test): started
/// with --json, ready when it prints its "ready" document, killed hard (SIGKILL) on <see cref="Kill"/> or dispose.
/// </summary>
public sealed class LocalWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = new();

    private LocalWorkerProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public static async Task<LocalWorkerProcess> StartAsync(NasCommand nas, IEnumerable<string> workerArguments, TimeSpan readyTimeout, CancellationToken cancel = default)
    {
        var info = new ProcessStartInfo(nas.FileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in nas.PrefixArguments) info.ArgumentList.Add(a);
        info.ArgumentList.Add("worker");
        info.ArgumentList.Add("--json");
        foreach (var a in workerArguments) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {nas.FileName}.");
        var worker = new LocalWorkerProcess(process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            worker.Note(e.Data);
            if (e.Data.Contains("\"status\": \"ready\"", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) worker.Note(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"worker exited with code {process.ExitCode}: {worker.LastLines()}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try { await ready.Task.WaitAsync(readyTimeout, cancel); }
        catch (Exception e)
        {
            worker.Dispose();
            throw new InvalidOperationException($"worker did not become ready within {readyTimeout.TotalSeconds:0} s: {e.Message} {worker.LastLines()}", e);
        }
        return worker;
    }

    private void Note(string line)
    {
        lock (_log) { _log.Add(line); if (_log.Count > 50) _log.RemoveAt(0); }
    }

    public string LastLines()
    {
        lock (_log) return string.Join(" | ", _log.TakeLast(8));
    }

    /// <summary>Kills the worker without any shutdown (as a crash or `kill -9` would).</summary>
    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
