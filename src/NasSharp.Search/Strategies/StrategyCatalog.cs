using NasSharp.Search.Running;
using NasSharp.Search.Strategies.Bananas;
using NasSharp.Spaces;

namespace NasSharp.Search.Strategies;

/// <summary>
/// What a strategy is built from: the space, the seed, the `--option key=value` pairs and, for strategies that condition
/// on it (DiffusionNAG's dataset-aware predictor) or read files, the target dataset and the data directory.
/// </summary>
public sealed record StrategyContext(ISearchSpace Space, int Seed, IReadOnlyDictionary<string, string> Options,
    string? Dataset = null, string? DataDirectory = null);

/// <summary>A named ask/tell strategy and how to build it (a strategy that holds native resources may be IDisposable).</summary>
/// <remarks>
/// <see cref="OptionKeys"/> are the keys the strategy itself reads (a key ending in ':' is a prefix, e.g. "op:" for
/// op:NAME=TEXT); besides those every ask/tell run accepts the recording keys and the evaluators' keys. Any other key is
/// refused when the strategy is built, the one door every command goes through, so a typo never runs with the default.
/// </remarks>
public sealed record StrategyDefinition(string Name, string Description, IReadOnlyList<string> OptionKeys, Func<StrategyContext, ISearchStrategy> Factory)
{
    public ISearchStrategy Create(ISearchSpace space, int seed, IReadOnlyDictionary<string, string> options, string? dataset = null, string? dataDirectory = null)
    {
        RequireKnownKeys(options);
        return Factory(new StrategyContext(space, seed, options, dataset, dataDirectory));
    }

    /// <summary>Every key this strategy's run accepts: its own, the recording ones (store, study, …) and the evaluators'.</summary>
    public IReadOnlyList<string> AcceptedKeys =>
        [.. OptionKeys, .. AskTellProcedure.RecordingKeys.Order(StringComparer.Ordinal), .. SearchEvaluators.OptionKeys];

    /// <summary>Whether the key is one this strategy's run reads (with <paramref name="ownKeysOnly"/>: one the strategy itself reads).</summary>
    public bool Accepts(string key, bool ownKeysOnly = false) => SearchOptionKeys.Matches(ownKeysOnly ? OptionKeys : AcceptedKeys, key);

    /// <summary>Refuses the first key this strategy does not accept, naming it and listing the valid keys.</summary>
    public void RequireKnownKeys(IReadOnlyDictionary<string, string> options) =>
        SearchOptionKeys.RequireKnown(Name, options.Keys, OptionKeys, AcceptedKeys.Skip(OptionKeys.Count).ToArray());
}

/// <summary>
/// The ask/tell strategies by name. <see cref="BuiltIn"/> are the ones this library implements; other libraries expose
/// their own <see cref="StrategyDefinition"/>s (DiffusionNAG's "diffusion-bo", TG-NAS's "tgnas-evolve") and the
/// composition root (the CLI) adds them with <see cref="Register"/>, so this library never depends on them.
/// </summary>
public static class StrategyCatalog
{
    /// <summary>The BANANAS options every MLP-ensemble BO strategy reads (diffusion-bo reuses them). Declared before BuiltIn: static initialisers run in order.</summary>
    public static IReadOnlyList<string> BananasOptionKeys { get; } = ["init", "k", "candidates", "encoding", "acq", "ensemble", "epochs"];

    public static IReadOnlyList<StrategyDefinition> BuiltIn { get; } =
    [
        new("random", "Random search: uniform samples, isomorphic duplicates skipped.", [],
            c => new RandomSearch(c.Space, c.Seed)),
        new("re", "Regularised evolution (options population=50, sample=10).", ["population", "sample"],
            c => new RegularizedEvolution(c.Space, c.Seed, new RegularizedEvolutionOptions(
                StrategyOptions.Int(c.Options, "population", 50, 1), StrategyOptions.Int(c.Options, "sample", 10, 1)))),
        new("ls", "Local search: first-improvement hill climbing with random restarts (option init=10).", ["init"],
            c => new LocalSearch(c.Space, c.Seed, new LocalSearchOptions(StrategyOptions.Int(c.Options, "init", 10, 1)))),
        new("bananas", "BANANAS: MLP-ensemble BO, path encoding, mutation-based ITS acquisition (options init=10, k=10, candidates=200, mutate=5, encoding=path|adjacency, acq=its|ucb, ensemble=3, epochs=200).",
            BananasOptionKeys.Append("mutate").ToArray(),
            c => new Bananas.Bananas(c.Space, c.Seed, ReadBananasOptions(c.Options))),
    ];

    public static BananasOptions ReadBananasOptions(IReadOnlyDictionary<string, string> o, int candidates = 200) => new(
        InitialSamples: StrategyOptions.Int(o, "init", 10, 1),
        BatchSize: StrategyOptions.Int(o, "k", 10, 1),
        Candidates: StrategyOptions.Int(o, "candidates", candidates, 1),
        ArchesToMutate: StrategyOptions.Int(o, "mutate", 5, 1),
        Encoding: StrategyOptions.Enum(o, "encoding", EncodingKind.Path),
        Acquisition: StrategyOptions.Enum(o, "acq", AcquisitionKind.Its),
        Ensemble: new MlpEnsembleOptions(Members: StrategyOptions.Int(o, "ensemble", 3, 1, 50), Epochs: StrategyOptions.Int(o, "epochs", 200, 1, 100_000)));

    /// <summary>
    /// For commands that give one set of options to several strategies (each gets the keys it takes): a key that none of
    /// them takes is a typo, refused before any run. <paramref name="ownKeysOnly"/> when the command fixes the evaluator.
    /// </summary>
    public static void RequireAcceptedBySome(IReadOnlyList<StrategyDefinition> definitions, IEnumerable<string> keys, bool ownKeysOnly = false)
    {
        if (definitions.Count == 1 && !ownKeysOnly)
        {
            definitions[0].RequireKnownKeys(keys.ToDictionary(k => k, _ => ""));
            return;
        }
        foreach (var key in keys.Order(StringComparer.Ordinal))
            if (!definitions.Any(d => d.Accepts(key, ownKeysOnly)))
            {
                var valid = definitions.SelectMany(d => ownKeysOnly ? d.OptionKeys : d.AcceptedKeys).Distinct(StringComparer.OrdinalIgnoreCase);
                throw new NasInputException($"Unknown option '{key}' for strategies {string.Join(", ", definitions.Select(d => d.Name))}; valid keys: {string.Join(", ", valid.Select(SearchOptionKeys.Shown))}.");
            }
    }

    private static readonly List<StrategyDefinition> Added = [];
    private static readonly Lock Gate = new();

    /// <summary>Built-in strategies followed by the registered ones.</summary>
    public static IReadOnlyList<StrategyDefinition> All
    {
        get { lock (Gate) return [.. BuiltIn, .. Added]; }
    }

    /// <summary>Adds (or replaces, by name) strategies from another library. A built-in name cannot be taken over.</summary>
    public static void Register(params IEnumerable<StrategyDefinition> definitions)
    {
        lock (Gate)
            foreach (var d in definitions)
            {
                if (BuiltIn.Any(b => b.Name.Equals(d.Name, StringComparison.OrdinalIgnoreCase)))
                    throw new InvalidOperationException($"'{d.Name}' is a built-in strategy; register another name.");
                Added.RemoveAll(a => a.Name.Equals(d.Name, StringComparison.OrdinalIgnoreCase));
                Added.Add(d);
            }
    }

    public static StrategyDefinition? TryGet(string name) =>
        All.FirstOrDefault(d => d.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static StrategyDefinition Get(string name) =>
        TryGet(name) ?? throw new NasInputException($"Unknown ask/tell strategy '{name}'; available: {string.Join(", ", All.Select(d => d.Name))}.");
}
