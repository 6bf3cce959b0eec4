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
public sealed record StrategyDefinition(string Name, string Description, IReadOnlyList<string> OptionKeys, Func<StrategyContext, ISearchStrategy> Factory)
{
    public ISearchStrategy Create(ISearchSpace space, int seed, IReadOnlyDictionary<string, string> options, string? dataset = null, string? dataDirectory = null) =>
        Factory(new StrategyContext(space, seed, options, dataset, dataDirectory));
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
