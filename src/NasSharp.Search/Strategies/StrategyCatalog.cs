using NasSharp.Search.Running;
using NasSharp.Search.Strategies.Bananas;
using NasSharp.Spaces;

namespace NasSharp.Search.Strategies;

/// <summary>A named ask/tell strategy and how to build it from a space, a seed and `--option key=value` pairs.</summary>
public sealed record StrategyDefinition(string Name, string Description, IReadOnlyList<string> OptionKeys,
    Func<ISearchSpace, int, IReadOnlyDictionary<string, string>, ISearchStrategy> Create);

/// <summary>The built-in ask/tell strategies (an explicit list, no reflection).</summary>
public static class StrategyCatalog
{
    public static IReadOnlyList<StrategyDefinition> All { get; } =
    [
        new("random", "Random search: uniform samples, isomorphic duplicates skipped.", [],
            (space, seed, _) => new RandomSearch(space, seed)),
        new("re", "Regularised evolution (options population=50, sample=10).", ["population", "sample"],
            (space, seed, o) => new RegularizedEvolution(space, seed, new RegularizedEvolutionOptions(
                StrategyOptions.Int(o, "population", 50, 1), StrategyOptions.Int(o, "sample", 10, 1)))),
        new("ls", "Local search: first-improvement hill climbing with random restarts (option init=10).", ["init"],
            (space, seed, o) => new LocalSearch(space, seed, new LocalSearchOptions(StrategyOptions.Int(o, "init", 10, 1)))),
        new("bananas", "BANANAS: MLP-ensemble BO, path encoding, mutation-based ITS acquisition (options init=10, k=10, candidates=200, mutate=5, encoding=path|adjacency, acq=its|ucb, ensemble=3, epochs=200).",
            ["init", "k", "candidates", "mutate", "encoding", "acq", "ensemble", "epochs"],
            (space, seed, o) => new Bananas.Bananas(space, seed, new BananasOptions(
                InitialSamples: StrategyOptions.Int(o, "init", 10, 1),
                BatchSize: StrategyOptions.Int(o, "k", 10, 1),
                Candidates: StrategyOptions.Int(o, "candidates", 200, 1),
                ArchesToMutate: StrategyOptions.Int(o, "mutate", 5, 1),
                Encoding: StrategyOptions.Enum(o, "encoding", EncodingKind.Path),
                Acquisition: StrategyOptions.Enum(o, "acq", AcquisitionKind.Its),
                Ensemble: new MlpEnsembleOptions(Members: StrategyOptions.Int(o, "ensemble", 3, 1, 50), Epochs: StrategyOptions.Int(o, "epochs", 200, 1, 100_000))))),
    ];

    public static StrategyDefinition Get(string name) =>
        All.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new NasInputException($"Unknown ask/tell strategy '{name}'; available: {string.Join(", ", All.Select(d => d.Name))}.");
}
