using NasSharp.Benchmarks;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Search.Tests;

/// <summary>
/// A cheap, separable NB201 objective with a known unique optimum: score = Σ over edges of Weights[edge, op], so the
/// optimum takes the heaviest op on each edge. "test_accuracy" is reported as score + 1 so tests can tell the two apart.
/// </summary>
public sealed class SeparableObjective : IEvaluator
{
    private static readonly double[,] Weights = BuildWeights();

    public int Calls { get; private set; }
    public string Name => "fake:separable";

    private static double[,] BuildWeights()
    {
        var w = new double[Nb201Space.EdgeCount, Nb201Space.OpCount];
        for (int e = 0; e < Nb201Space.EdgeCount; e++)
            for (int o = 0; o < Nb201Space.OpCount; o++)
                w[e, o] = ((e * 7 + o * 3) % 5) + 0.1 * e; // distinct per edge; argmax op = the o with (7e+3o)%5 == 4
        return w;
    }

    public static double Score(Architecture arch)
    {
        var ops = Nb201Space.OpIndices(arch);
        double s = 0;
        for (int e = 0; e < ops.Length; e++) s += Weights[e, ops[e]];
        return s;
    }

    public static double Optimum
    {
        get
        {
            double s = 0;
            for (int e = 0; e < Nb201Space.EdgeCount; e++)
                s += Enumerable.Range(0, Nb201Space.OpCount).Max(o => Weights[e, o]);
            return s;
        }
    }

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        Calls++;
        double s = Score(arch);
        return Task.FromResult(new TrialResult(s, new Dictionary<string, double?> { [BenchMetric.TestAccuracy] = s + 1 }, 1.0));
    }
}

/// <summary>Wraps an evaluator and cancels a token when evaluation number <c>killAt</c> starts (a kill mid-trial).</summary>
public sealed class KillingEvaluator(IEvaluator inner, int killAt, CancellationTokenSource cts) : IEvaluator
{
    private int _calls;
    public string Name => inner.Name;

    public Task<TrialResult> EvaluateAsync(Architecture arch, CancellationToken cancel = default)
    {
        if (++_calls == killAt) cts.Cancel();
        cancel.ThrowIfCancellationRequested();
        return inner.EvaluateAsync(arch, cancel);
    }
}
