using System.Diagnostics;

namespace NasSharp.Pipeline;

/// <summary>The settings a run directory was started with (checked when it is resumed).</summary>
public sealed record RunIdentity(IReadOnlyDictionary<string, string> Search, IReadOnlyDictionary<string, string> Train);

/// <summary>Everything `nas run` reports (result.json, --json): settings, the three stages, what was reused, the files.</summary>
public sealed record RunResult(RunIdentity Settings, SearchStageResult Search, TrainStageResult Train, ExportStageResult Export)
{
    /// <summary>Stages taken from an earlier run in the same directory (--resume).</summary>
    public IReadOnlyList<string> ReusedStages { get; init; } = [];
    public string OutDirectory { get; init; } = "";
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
    public double TotalSeconds { get; init; }
}

/// <summary>
/// `nas run`: search → train the winner → export to ONNX and verify → report. Each finished stage is written to the run
/// directory at once; with <see cref="RunSettings.Resume"/> a rerun reuses the finished search and training (and
/// continues an interrupted training from its last epoch checkpoint), so a killed run loses at most one epoch.
/// </summary>
public sealed class RunPipeline(ISearchStage search, ITrainStage train, IExportStage export, IStageRunner runner)
{
    public RunResult Run(RunSettings settings, CancellationToken cancel = default)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        var dir = new RunDirectory(settings.OutDirectory);
        dir.EnsureWritable();
        var identity = new RunIdentity(settings.SearchIdentity(), settings.TrainIdentity());
        CheckResumable(dir, identity, settings.Resume);
        train.CheckData(settings);
        dir.Write(RunDirectory.RunFile, identity);
        var reused = new List<string>();

        var found = settings.Resume ? dir.Read<SearchStageResult>(RunDirectory.SearchFile) : null;
        if (found is not null) reused.Add("search");
        else
        {
            // A new search invalidates any training of an older winner left in the directory.
            foreach (var f in new[] { RunDirectory.TrainFile, RunDirectory.EpochLogFile, RunDirectory.CheckpointFile }) dir.Delete(f);
            found = runner.Run($"search ({settings.Strategy})", p => search.Run(settings, p, cancel));
            dir.Write(RunDirectory.SearchFile, found);
        }

        var trained = settings.Resume ? dir.Read<TrainStageResult>(RunDirectory.TrainFile) : null;
        if (trained is not null && trained.Arch == found.Arch) reused.Add("train");
        else
        {
            trained = runner.Run($"train {settings.Epochs} epoch(s)", p => train.Run(settings, found.Arch, dir, p, cancel));
            dir.Write(RunDirectory.TrainFile, trained);
        }

        var exported = runner.Run("export to ONNX", _ => export.Run(settings, found.Arch, dir));
        dir.Write(RunDirectory.ExportFile, exported);

        var result = new RunResult(identity, found, trained, exported) { ReusedStages = reused, OutDirectory = dir.Root, TotalSeconds = clock.Elapsed.TotalSeconds };
        RunReport.Write(dir, result);
        var files = new[] { RunDirectory.ReportFile, RunDirectory.ResultFile, RunDirectory.CheckpointFile, RunDirectory.OnnxFile,
                            RunDirectory.TrajectoryPlot, RunDirectory.ProxyPlot, RunDirectory.TrainingPlot }
            .Where(f => f == RunDirectory.ResultFile || dir.Has(f))
            .ToDictionary(f => f.Replace('.', '_').Replace('-', '_'), f => dir[f]);
        result = result with { Files = files };
        dir.Write(RunDirectory.ResultFile, result);
        return result;
    }

    /// <summary>A directory with a run in it is only reused on request, and only with the settings it was started with.</summary>
    private static void CheckResumable(RunDirectory dir, RunIdentity wanted, bool resume)
    {
        // Only a finished stage makes a directory "hold a run"; settings of an attempt that never finished a stage are overwritten.
        var stored = dir.Has(RunDirectory.SearchFile) ? dir.Read<RunIdentity>(RunDirectory.RunFile) : null;
        if (stored is null) return;
        if (!resume)
            throw new NasInputException($"--out '{dir.Root}' already holds a run; pass --resume to reuse its finished stages, or choose another --out.");
        foreach (var (part, a, b) in new[] { ("search", stored.Search, wanted.Search), ("training", stored.Train, wanted.Train) })
            foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
            {
                string? was = a.GetValueOrDefault(key), now = b.GetValueOrDefault(key);
                if (was != now)
                    throw new NasInputException($"Cannot resume the run in '{dir.Root}': its {part} was started with {key}={was ?? "(none)"}, now {key}={now ?? "(none)"}. Resume with the same options or choose another --out.");
            }
    }
}
