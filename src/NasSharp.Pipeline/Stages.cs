namespace NasSharp.Pipeline;

/// <summary>Stage 1 of `nas run`: find an architecture (zero-cost or on a benchmark/cluster evaluator).</summary>
public interface ISearchStage
{
    SearchStageResult Run(RunSettings settings, IProgress<ProgressInfo> progress, CancellationToken cancel);
}

/// <summary>Stage 2: train the found architecture for real; continues from the checkpoint in the run directory when resuming.</summary>
public interface ITrainStage
{
    /// <summary>Fails fast (before the search) when the training data cannot be read.</summary>
    void CheckData(RunSettings settings);
    TrainStageResult Run(RunSettings settings, string arch, RunDirectory dir, IProgress<ProgressInfo> progress, CancellationToken cancel);
}

/// <summary>Stage 3: export the trained checkpoint to ONNX and verify the file in ONNX Runtime.</summary>
public interface IExportStage
{
    ExportStageResult Run(RunSettings settings, string arch, RunDirectory dir);
}

/// <summary>How a stage is shown while it runs (the CLI draws a progress bar; tests pass the work straight through).</summary>
public interface IStageRunner
{
    T Run<T>(string title, Func<IProgress<ProgressInfo>, T> work);
}

/// <summary>One candidate the search scored: its proxy/search score and, when the space has a table, its recorded test accuracy (%).</summary>
public sealed record Candidate(string Arch, double Score, double? TableAccuracy);

/// <summary>What the search stage found and how (trajectory and candidates feed the report's plots).</summary>
public sealed record SearchStageResult(string Strategy, string Arch, double Score, int Evaluations, double Seconds)
{
    /// <summary>Best score so far after each step (an evaluation, or a pruning round for tgnas-prune).</summary>
    public IReadOnlyList<double> Trajectory { get; init; } = [];
    public string TrajectoryUnit { get; init; } = "evaluation";
    public IReadOnlyList<Candidate> Candidates { get; init; } = [];
    /// <summary>"evaluated" (the trials the search ran), "sample" (random architectures scored with the same proxy, when the strategy does not expose its trials) or "none".</summary>
    public string CandidateSource { get; init; } = "none";
    /// <summary>The found architecture's test accuracy (%) in the benchmark table on <see cref="RunSettings.TableDataset"/>; null without a table.</summary>
    public double? TableAccuracy { get; init; }
    public double? TableBestAccuracy { get; init; }
    public string? TableDataset { get; init; }
    /// <summary>Where the evaluations ran: "in-process" or the cluster spec.</summary>
    public string RanOn { get; init; } = "in-process";
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>One training epoch of the winner: training loss/accuracy over the epoch, then loss/accuracy on the test images (accuracies in %).</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double Seconds);

public sealed record TrainStageResult(string Arch, string Data, long Parameters, int TrainImages, int TestImages, int Epochs, int BatchSize,
    double TestAccuracy, double TestLoss, double Seconds)
{
    public IReadOnlyList<EpochRecord> History { get; init; } = [];
    /// <summary>Epochs that an earlier, interrupted run had finished (0 = trained from scratch).</summary>
    public int ResumedAfterEpoch { get; init; }
    public int Threads { get; init; }
    public string Checkpoint { get; init; } = RunDirectory.CheckpointFile;
}

public sealed record ExportStageResult(string File, long Bytes, int Nodes, string Operators, double MaxAbsDiff, double Tolerance, bool Verified, double Seconds);
