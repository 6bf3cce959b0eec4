using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Spaces;

namespace NasSharp.Pipeline;

/// <summary>Scores architectures with the proxy a search strategy uses (for the proxy-vs-accuracy plot), or null when there is none.</summary>
public delegate Func<IReadOnlyList<Architecture>, double[]>? ProxyScorerFor(string strategy, RunSettings settings);

/// <summary>
/// The search stage on this machine: any procedure registered in <see cref="SearchProcedures"/> (what `nas search
/// --strategy` runs). Ask/tell strategies report every trial they evaluated; for the others (TG-NAS prune/evolve) the
/// candidates of the proxy-vs-accuracy plot are a seeded random sample of the space scored with the same proxy.
/// </summary>
public sealed class ProcedureSearchStage(ProxyScorerFor? proxyScorer = null, Func<string, ISearchProcedure>? resolve = null) : ISearchStage
{
    public SearchStageResult Run(RunSettings settings, IProgress<ProgressInfo> progress, CancellationToken cancel)
    {
        var space = SearchSpaces.Get(settings.Space);
        var procedure = (resolve ?? SearchProcedures.Get)(settings.Strategy);
        var table = TableLookup.TryLoad(space, settings.DataDirectory, settings.TableDataset);
        var request = new SearchRequest(space, table?.Dataset ?? settings.TableDataset, settings.Seed, settings.EffectiveBudget(procedure is AskTellProcedure), settings.DataDirectory)
        {
            Options = settings.Options, Progress = progress, Cancel = cancel,
        };
        if (procedure is AskTellProcedure askTell)
        {
            var run = askTell.Execute(request);
            var candidates = run.Trials.Where(t => !t.Result.Failed)
                .Select(t => new Candidate(t.Arch, t.Result.Score, table?.TestAccuracy(space.Parse(t.Arch)))).ToList();
            return Describe(procedure.Name, run.Outcome, space, table, "evaluation") with { Candidates = candidates, CandidateSource = "evaluated" };
        }
        var outcome = procedure.Run(request);
        var result = Describe(procedure.Name, outcome, space, table, settings.Strategy.Equals("tgnas-prune", StringComparison.OrdinalIgnoreCase) ? "pruning round" : "evaluation");
        var scorer = proxyScorer?.Invoke(procedure.Name, settings);
        if (scorer is null || settings.ProxySample == 0) return result;
        // A sample from its own seed stream, so it does not depend on how many draws the search made.
        var rng = new Random(HashCode.Combine(settings.Seed, 0x5A4D));
        var sample = Enumerable.Range(0, settings.ProxySample).Select(_ => space.Sample(rng)).Append(outcome.Best).ToList();
        var scores = scorer(sample);
        var sampled = sample.Select((a, i) => new Candidate(space.Format(a), scores[i], table?.TestAccuracy(a))).ToList();
        return result with { Candidates = sampled, CandidateSource = "sample" };
    }

    internal static SearchStageResult Describe(string strategy, SearchOutcome outcome, ISearchSpace space, TableLookup? table, string unit) =>
        new(strategy, space.Format(outcome.Best), outcome.BestScore, outcome.Evaluations, outcome.Wall.TotalSeconds)
        {
            Trajectory = outcome.Trajectory.ToList(),
            TrajectoryUnit = unit,
            TableAccuracy = table?.TestAccuracy(outcome.Best),
            TableBestAccuracy = table?.Best,
            TableDataset = table?.Dataset,
            Details = outcome.Details.Where(kv => kv.Value is not null and not System.Collections.ICollection)
                .ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""),
        };
}

/// <summary>The space's benchmark table on one dataset (test accuracy, %), when the data directory has it.</summary>
public sealed class TableLookup(IBenchmark bench, string dataset)
{
    public string Dataset => dataset;
    public double Best { get; } = bench.Summary(dataset, BenchMetric.TestAccuracy).Max;

    public double? TestAccuracy(Architecture arch) => bench.IndexOf(arch) is { } row ? bench.Query(row, dataset, BenchMetric.TestAccuracy) : null;

    /// <summary>Null when the space has no table or the data directory lacks it (the search still runs, it just cannot report truth).</summary>
    public static TableLookup? TryLoad(ISearchSpace space, string dataDirectory, string dataset)
    {
        if (!BenchmarkTables.Names.Contains(space.Name, StringComparer.OrdinalIgnoreCase)) return null;
        IBenchmark bench;
        try { bench = BenchmarkTables.Load(space.Name, dataDirectory); }
        catch (NasDataException) { return null; }
        return new TableLookup(bench, BenchDataset.Normalize(dataset, bench.Datasets));
    }
}
