using NasSharp.Search;
using NasSharp.Spaces;

namespace NasSharp.Distributed.Evaluators;

/// <summary>
/// Fault injection for drills and tests: throws for the listed architectures (every time — a poison trial) and
/// delegates everything else to <paramref name="inner"/>.
/// </summary>
public sealed class PoisonEvaluator(IEvaluator inner, IReadOnlySet<string> poisoned) : IEvaluator
{
    public string Name => inner.Name;

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        string text = SearchSpaces.Get(arch.Space).Format(arch);
        if (poisoned.Contains(text)) throw new InvalidOperationException($"poisoned architecture {text} (fault injection)");
        return inner.EvaluateAsync(arch, cancel);
    }
}
