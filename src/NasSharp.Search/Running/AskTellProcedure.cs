using System.Diagnostics;
using System.Text.Json;
using NasSharp.Benchmarks;
using NasSharp.Search.Store;
using NasSharp.Search.Strategies;

namespace NasSharp.Search.Running;

/// <summary>
/// Any ask/tell strategy as a complete `nas search` procedure: builds the strategy from the request's seed and options,
/// the evaluator from `--option evaluator=…` (benchmark lookup by default), and drives <see cref="SearchLoop"/> for
/// <see cref="SearchRequest.Budget"/> evaluations. With option <c>store=FILE</c> (and <c>study=NAME</c>) every trial goes
/// to the SQLite <see cref="RunStore"/>; with <c>resume=true</c> an interrupted study is replayed and continued.
/// </summary>
public sealed class AskTellProcedure(StrategyDefinition definition) : ISearchProcedure
{
    /// <summary>
    /// Options that say where a run is recorded or how fast it goes, not what it computes (they may differ on resume).
    /// delay_ms=N waits N ms before each evaluation: a stand-in for slow training when rehearsing kills and resumes.
    /// </summary>
    public static readonly IReadOnlySet<string> RecordingKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "store", "study", "resume", "delay_ms" };

    public StrategyDefinition Definition => definition;
    public string Name => definition.Name;
    public IReadOnlyList<string> OptionKeys => definition.AcceptedKeys;
    public string Description => definition.Description + " Budget = benchmark evaluations.";

    /// <summary>Registers every catalogued strategy (built-in and registered) in <see cref="SearchProcedures"/>.</summary>
    public static void RegisterAll()
    {
        foreach (var d in StrategyCatalog.All) SearchProcedures.Register(new AskTellProcedure(d));
    }

    /// <summary>
    /// The procedure behind a strategy name: the ask/tell form when the catalog has the name (so budgets count evaluator
    /// queries, and --store/--resume work), else whatever <see cref="SearchProcedures"/> holds (tgnas-prune, diffusionnag…).
    /// </summary>
    public static ISearchProcedure Resolve(string name) =>
        StrategyCatalog.TryGet(name) is { } d ? new AskTellProcedure(d) : SearchProcedures.Get(name);

    public SearchOutcome Run(SearchRequest request)
    {
        var result = Execute(request);
        return result.Outcome;
    }

    /// <summary>Runs the search and returns the outcome together with every trial (for comparisons and reports).</summary>
    public SearchRun Execute(SearchRequest request)
    {
        Counts.Require("--budget (evaluations)", request.Budget);
        var clock = Stopwatch.StartNew();
        var (evaluator, evaluatorSpec) = SearchEvaluators.Resolve(request);
        int delayMs = StrategyOptions.Int(request.Options, "delay_ms", 0, 0, 60_000);
        if (delayMs > 0) evaluator = new DelayedEvaluator(evaluator, delayMs);
        var computeOptions = request.Options.Where(kv => !RecordingKeys.Contains(kv.Key) && kv.Key != "evaluator")
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);
        string? storePath = request.Options.GetValueOrDefault("store");
        string study = request.Options.GetValueOrDefault("study") ?? $"{definition.Name}-{request.Space.Name}-{request.Dataset}-s{request.Seed}";
        bool resume = StrategyOptions.Bool(request.Options, "resume");

        RunStore? store = null;
        IReadOnlyList<TrialRecord> finished = [];
        int budget = request.Budget;
        string? budgetNote = null;
        ISearchStrategy? strategy = null;
        try
        {
            // Built first: a bad option fails before anything is written to the store.
            strategy = definition.Create(request.Space, request.Seed, request.Options, request.Dataset, request.DataDirectory);
            if (storePath is not null)
            {
                store = RunStore.Open(storePath);
                var wanted = new StudyRecord(study, request.Space.Name, definition.Name, request.Dataset, request.Seed, request.Budget,
                    evaluatorSpec, JsonSerializer.Serialize(computeOptions));
                var existing = store.GetStudy(study);
                if (existing is null) store.CreateStudy(wanted);
                else
                {
                    if (!resume)
                        throw new NasInputException($"Study '{study}' already exists in '{storePath}'; pass --resume to continue it or choose another --study.");
                    CheckSameRun(existing, wanted, storePath);
                    finished = store.Trials(study);
                    // A smaller budget never shrinks a study: resuming a finished 200-trial study with --budget 50 (or the
                    // default 100) keeps 200 and says so, instead of recording "200/50" and reporting a 50-trial result.
                    if (request.Budget > existing.Budget) store.UpdateBudget(study, request.Budget);
                    else if (request.Budget < existing.Budget)
                    {
                        budgetNote = $"kept the study's budget {existing.Budget} (--budget {request.Budget} is smaller; a study's budget only grows)";
                        budget = existing.Budget;
                    }
                }
            }
            var trials = SearchLoop.Run(request.Space, strategy, evaluator, budget, finished,
                store is null ? null : t => store.AppendTrial(study, t), request.Progress, request.Cancel);
            if (store is not null && trials.Count >= budget) store.MarkFinished(study);
            var outcome = Summarise(request, trials, evaluatorSpec, clock.Elapsed, storePath is null ? null : study, finished.Count, budget, budgetNote);
            return new SearchRun(definition.Name, trials, outcome);
        }
        finally
        {
            store?.Dispose();
            (strategy as IDisposable)?.Dispose();
        }
    }

    private static void CheckSameRun(StudyRecord stored, StudyRecord wanted, string storePath)
    {
        void Same(string what, object a, object b)
        {
            if (!Equals(a, b))
                throw new NasInputException($"Cannot resume study '{stored.Name}' in '{storePath}': it was started with {what} {a}, now {b}. Resume with the same options or choose another --study.");
        }
        Same("space", stored.Space, wanted.Space);
        Same("strategy", stored.Strategy, wanted.Strategy);
        Same("dataset", stored.Dataset, wanted.Dataset);
        Same("seed", stored.Seed, wanted.Seed);
        Same("evaluator", stored.Evaluator, wanted.Evaluator);
        Same("options", stored.Options, wanted.Options);
    }

    private static SearchOutcome Summarise(SearchRequest request, List<TrialRecord> trials, string evaluator, TimeSpan wall, string? study, int replayed,
                                           int budget, string? budgetNote)
    {
        int best = Incumbents.Best(trials);
        if (best < 0) throw new NasInputException($"All {trials.Count} evaluations failed (first error: {trials.FirstOrDefault()?.Result.Error}); check the space, dataset and evaluator.");
        var b = trials[best];
        var testTrajectory = Incumbents.MetricTrajectory(trials, BenchMetric.TestAccuracy);
        return new SearchOutcome(request.Space.Parse(b.Arch), b.Result.Score, trials.Count, wall)
        {
            Trajectory = Incumbents.ScoreTrajectory(trials),
            Details = new Dictionary<string, object?>
            {
                ["evaluator"] = evaluator,
                ["best_trial"] = b.Number,
                ["test_accuracy"] = b.Result.Metrics.GetValueOrDefault(BenchMetric.TestAccuracy),
                ["test_trajectory"] = testTrajectory,
                ["failed_trials"] = trials.Count(t => t.Result.Failed),
                ["first_error"] = trials.FirstOrDefault(t => t.Result.Failed)?.Result.Error,
                ["simulated_cost_s"] = trials.Sum(t => t.Result.CostSeconds),
                ["study"] = study,
                ["replayed_trials"] = replayed,
                ["budget"] = budget,
                ["budget_note"] = budgetNote,
            },
        };
    }
}

/// <summary>A finished ask/tell run: every trial in order plus the summary outcome.</summary>
public sealed record SearchRun(string Strategy, IReadOnlyList<TrialRecord> Trials, SearchOutcome Outcome);
