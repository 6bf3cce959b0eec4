using NasSharp.Spaces;

namespace NasSharp.Search;

/// <summary>
/// A complete search run behind `nas search --strategy NAME`: ask/tell strategies driven by an evaluator, TG-NAS's
/// pruning/evolution, DiffusionNAG's generate-then-evaluate. Libraries implement it; the CLI registers them in
/// <see cref="SearchProcedures"/> (the composition root), so `nas search` knows every strategy without depending on each.
/// </summary>
public interface ISearchProcedure
{
    string Name { get; }
    /// <summary>One line for `nas search --help`.</summary>
    string Description { get; }
    /// <summary>The `--option` keys it reads (a key ending in ':' is a prefix); any other key is refused by <see cref="SearchOptionKeys"/>.</summary>
    IReadOnlyList<string> OptionKeys { get; }
    SearchOutcome Run(SearchRequest request);
}

/// <summary>
/// What a search gets: the space, the target dataset, the seed (same seed → same result), the budget (evaluations or
/// proxy queries; a procedure documents which), the data directory, free-form options (--option key=value) and progress.
/// </summary>
public sealed record SearchRequest(ISearchSpace Space, string Dataset, int Seed, int Budget, string DataDirectory)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public IProgress<ProgressInfo>? Progress { get; init; }
    public CancellationToken Cancel { get; init; }
}

/// <summary>
/// The result of a search: the chosen architecture, the score the search used to choose it, how many evaluations it
/// spent, the wall time, and the trajectory (best score after each evaluation) for plots.
/// </summary>
public sealed record SearchOutcome(Architecture Best, double BestScore, int Evaluations, TimeSpan Wall)
{
    public IReadOnlyList<double> Trajectory { get; init; } = [];
    /// <summary>Anything else worth printing (e.g. proxy name, predictor version), snake_case keys.</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();
}

/// <summary>The registry behind `nas search --strategy`.</summary>
public static class SearchProcedures
{
    private static readonly Dictionary<string, ISearchProcedure> Registered = new(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<ISearchProcedure> All => Registered.Values;

    /// <summary>Registers a procedure; registering the same kind again is a no-op, but two different procedures under one
    /// name are refused (which one `--strategy` ran would otherwise depend on registration order).</summary>
    public static void Register(ISearchProcedure procedure)
    {
        if (Registered.TryGetValue(procedure.Name, out var existing) && existing.GetType() != procedure.GetType())
            throw new InvalidOperationException($"Two search procedures are named '{procedure.Name}': {existing.GetType().Name} and {procedure.GetType().Name}.");
        Registered[procedure.Name] = procedure;
    }

    public static ISearchProcedure Get(string name) =>
        Registered.TryGetValue(name, out var p) ? p
            : throw new NasInputException($"Unknown search strategy '{name}'; available: {string.Join(", ", Registered.Keys.Order())}.");
}
