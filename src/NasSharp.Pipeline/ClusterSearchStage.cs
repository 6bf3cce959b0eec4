using NasSharp.Distributed;
using NasSharp.Distributed.Recording;
using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces;

namespace NasSharp.Pipeline;

/// <summary>
/// The search stage on a worker cluster (`nas run --cluster`): the same ask/tell strategy, its evaluations on Orleans
/// workers through <see cref="ClusterSearch"/> — whatever evaluator the workers run (table lookup, or real training with
/// `nas worker --evaluator train`). Trials go to a SQLite store in the run directory, so a killed run resumed with
/// --resume re-tells the finished trials and reattaches to the running ones.
/// </summary>
public sealed class ClusterSearchStage(ClusterRunOptions cluster) : ISearchStage
{
    public const string StoreFile = "cluster-trials.db", StudyId = "run";

    public SearchStageResult Run(RunSettings settings, IProgress<ProgressInfo> progress, CancellationToken cancel)
    {
        var space = SearchSpaces.Get(settings.Space);
        if (!StrategyCatalog.All.Any(d => d.Name.Equals(settings.Strategy, StringComparison.OrdinalIgnoreCase)))
            throw new NasInputException($"--cluster runs ask/tell strategies ({string.Join(", ", StrategyCatalog.All.Select(d => d.Name))}); '{settings.Strategy}' scores in one piece in-process.");
        var table = TableLookup.TryLoad(space, settings.DataDirectory, settings.TableDataset);
        var strategy = StrategyCatalog.Get(settings.Strategy).Create(space, settings.Seed, settings.Options);
        var request = new SearchRequest(space, table?.Dataset ?? settings.TableDataset, settings.Seed, settings.EffectiveBudget(askTell: true), settings.DataDirectory)
        {
            Options = settings.Options, Progress = progress, Cancel = cancel,
        };
        var storePath = Path.Combine(settings.OutDirectory, StoreFile);
        if (!settings.Resume && File.Exists(storePath)) File.Delete(storePath); // left by a run that never recorded its settings
        using var store = new SqliteTrialStore(storePath);
        var outcome = ClusterSearch.Run(strategy, request, cluster with { Sink = store, StudyId = StudyId, Resume = settings.Resume });
        var candidates = store.Load(StudyId).Where(t => !t.Result.Failed)
            .Select(t => new Candidate(t.Architecture, t.Result.Score, table?.TestAccuracy(space.Parse(t.Architecture)))).ToList();
        return ProcedureSearchStage.Describe(strategy.Name, outcome, space, table, "evaluation") with
        {
            Candidates = candidates, CandidateSource = "evaluated", RanOn = $"cluster {cluster.Cluster}",
        };
    }
}
