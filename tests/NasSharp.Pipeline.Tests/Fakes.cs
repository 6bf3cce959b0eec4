using NasSharp.Pipeline;

namespace NasSharp.Pipeline.Tests;

internal sealed class FakeSearch(string arch = "fake-arch") : ISearchStage
{
    public int Calls;

    public SearchStageResult Run(RunSettings settings, IProgress<ProgressInfo> progress, CancellationToken cancel)
    {
        Calls++;
        return new SearchStageResult("fake", arch, 1.5, 3, 0.25)
        {
            Trajectory = [1.0, 1.2, 1.5],
            Candidates = [new("a", 1.0, 80.0), new("b", 1.2, 85.0), new(arch, 1.5, 90.0)],
            CandidateSource = "evaluated", TableAccuracy = 90.0, TableBestAccuracy = 94.37, TableDataset = "cifar10",
        };
    }
}

internal sealed class FakeTrain : ITrainStage
{
    public int Calls;
    public Exception? DataError;

    public void CheckData(RunSettings settings)
    {
        if (DataError is not null) throw DataError;
    }

    public TrainStageResult Run(RunSettings settings, string arch, RunDirectory dir, IProgress<ProgressInfo> progress, CancellationToken cancel)
    {
        Calls++;
        var history = Enumerable.Range(1, settings.Epochs).Select(e => new EpochRecord(e, 2.0 / e, 50 + 10 * e, 2.1 / e, 48 + 10 * e, 1.5)).ToList();
        return new TrainStageResult(arch, settings.Data, 1234, 100, 50, settings.Epochs, settings.BatchSize, history[^1].TestAccuracy, history[^1].TestLoss, 1.5 * settings.Epochs)
        {
            History = history, Threads = settings.Threads,
        };
    }
}

internal sealed class FakeExport : IExportStage
{
    public int Calls;

    public ExportStageResult Run(RunSettings settings, string arch, RunDirectory dir)
    {
        Calls++;
        return new ExportStageResult(RunDirectory.OnnxFile, 100, 7, "Conv,Gemm", 2.5e-7, 1e-4, true, 0.5);
    }
}

internal sealed class DirectRunner : IStageRunner
{
    public List<string> Titles { get; } = [];

    public T Run<T>(string title, Func<IProgress<ProgressInfo>, T> work)
    {
        Titles.Add(title);
        return work(new Progress<ProgressInfo>());
    }
}

/// <summary>A fresh directory under the temp folder, deleted with the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nassharp-run-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
