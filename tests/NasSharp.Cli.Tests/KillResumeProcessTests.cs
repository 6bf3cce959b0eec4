using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NasSharp.Search.Store;
using NasSharp.Tests.Shared;

namespace NasSharp.Cli.Tests;

/// <summary>
/// Issue 7's resume-after-kill check with a real process: `nas search --store` in a child process (the built nas.dll),
/// SIGKILLed once some trials are stored, then resumed; the result must equal an uninterrupted run with the same seed.
/// </summary>
public sealed class KillResumeProcessTests : IDisposable
{
    private readonly TempStoreDirectory _dir = new("nassharp-kill-");

    public void Dispose() => _dir.Dispose();

    private static string[] SearchArgs(string store) =>
        ["search", "--space", "nb201", "--strategy", "re", "--dataset", "cifar10", "--budget", "60", "--seed", "5",
         "--option", "population=20", "--store", store, "--study", "k", "--json"];

    [Fact, Trait("Category", "Slow")]
    public void SearchKilledWithSigkill_ResumesWithoutRedoingTrials_AndEndsLikeAnUninterruptedRun()
    {
        var killedStore = _dir.File("killed.db");
        // delay_ms paces the table lookups (100 ms each) so the kill lands mid-run; it is not part of the study's identity.
        using (var child = StartNas([.. SearchArgs(killedStore), "--option", "delay_ms=100"]))
        {
            var clock = Stopwatch.StartNew();
            while (StoredTrials(killedStore) < 8)
            {
                Assert.False(child.HasExited, "the search finished or failed before it could be killed");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no trials stored after 120 s");
                Thread.Sleep(50);
            }
            child.Kill(); // SIGKILL on Unix: no handler runs, like a crash or an OOM kill
            child.WaitForExit();
        }
        int atKill = StoredTrials(killedStore);
        Assert.InRange(atKill, 8, 59);

        var resumed = CliRunner.Run([.. SearchArgs(killedStore), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        var straightStore = _dir.File("straight.db");
        var straight = CliRunner.Run(SearchArgs(straightStore));
        Assert.True(straight.ExitCode == 0, straight.Err);

        using var r = JsonDocument.Parse(resumed.Out);
        using var s = JsonDocument.Parse(straight.Out);
        Assert.Equal(atKill, r.RootElement.GetProperty("details").GetProperty("replayed_trials").GetInt32());
        foreach (var key in new[] { "arch", "score", "test_accuracy", "evaluations" })
            Assert.Equal(s.RootElement.GetProperty(key).ToString(), r.RootElement.GetProperty(key).ToString());
        Assert.Equal(s.RootElement.GetProperty("trajectory").ToString(), r.RootElement.GetProperty("trajectory").ToString());

        using var killed = RunStore.Open(killedStore);
        using var reference = RunStore.Open(straightStore);
        var trials = killed.Trials("k");
        Assert.Equal(Enumerable.Range(1, 60), trials.Select(t => t.Number));
        Assert.Equal(60, trials.Select(t => t.CanonicalHash).Distinct().Count()); // no trial was evaluated twice
        Assert.Equal(reference.Trials("k").Select(t => (t.Arch, t.Result.Score)), trials.Select(t => (t.Arch, t.Result.Score)));
        Assert.NotNull(Assert.Single(killed.ListStudies()).Study.FinishedUtc);
    }

    private static Process StartNas(string[] args)
    {
        var nas = Path.Combine(AppContext.BaseDirectory, "nas.dll");
        Assert.True(File.Exists(nas), $"{nas} is missing: the test needs the built CLI next to the tests");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[nas, "--data-dir", TestData.Directory, .. args]) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Trials of study 'k' stored so far (0 while the child has not created the store yet).</summary>
    private static int StoredTrials(string path) => NasProcess.StoredTrials(path, "k");
}
