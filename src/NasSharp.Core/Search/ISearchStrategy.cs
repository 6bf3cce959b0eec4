using NasSharp.Spaces;

namespace NasSharp.Search;

/// <summary>
/// A search strategy in ask/tell form, independent of how candidates are evaluated and where.
/// Contract that makes runs resumable: a strategy's state is a pure function of its seed and the sequence of
/// (architecture, result) pairs it was told, so replaying the recorded trials in order restores it exactly.
/// </summary>
public interface ISearchStrategy
{
    string Name { get; }
    /// <summary>The next architecture to evaluate.</summary>
    Architecture Ask();
    /// <summary>Reports the result of an architecture returned by <see cref="Ask"/> (results may arrive out of order).</summary>
    void Tell(Architecture arch, TrialResult result);
}

/// <summary>How good a candidate is, by whatever means (benchmark lookup, proxy, predictor, real training).</summary>
public interface IEvaluator
{
    string Name { get; }
    Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default);
}

/// <summary>
/// The outcome of one evaluation. <see cref="Score"/> is what the strategy maximises; <see cref="Metrics"/> carries the
/// rest (e.g. true test accuracy when the evaluator knows it), null where unknown. A failed trial has an Error and no score.
/// </summary>
public sealed record TrialResult(double Score, IReadOnlyDictionary<string, double?> Metrics, double CostSeconds, string? Error = null)
{
    public bool Failed => Error is not null;
}
