using System.Diagnostics;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Search;

namespace NasSharp.Diffusion.Search;

/// <summary>
/// Transferable NAS with DiffusionNAG (spec §6.5): generate with predictor guidance under the decreasing-scale schedule
/// until K distinct valid candidates exist, rank them by the predictor on clean inputs (σ_min), and evaluate the top
/// Budget of them by benchmark lookup (test accuracy). Budget = evaluations. By default the predictor is the shipped one
/// that saw all three NB201 datasets; predictor=transfer picks the one trained WITHOUT the target (nb201-predictor-no-D.dnag).
/// Options: predictor=transfer|all|FILE, score=FILE, candidates=K (default max(10, 2·budget)), scale=W, scale_step,
/// scale_floor, batch, rounds, steps.
/// </summary>
public sealed class DiffusionNagSearch : ISearchProcedure
{
    public string Name => "diffusionnag";
    public string Description => "DiffusionNAG: predictor-guided diffusion generates candidates, the predictor ranks them, the top N (= budget) are evaluated by benchmark lookup.";

    public IReadOnlyList<string> OptionKeys { get; } = ["predictor", "score", "candidates", "scale", "scale_step", "scale_floor", "batch", "rounds", "steps"];

    public SearchOutcome Run(SearchRequest request)
    {
        SearchOptionKeys.RequireKnown(Name, request.Options.Keys, OptionKeys);
        var sw = Stopwatch.StartNew();
        Counts.Require("--budget (evaluations)", request.Budget);
        var o = request.Options;
        string space = request.Space.Name;
        var dataset = DatasetCatalog.Get(request.Dataset).Name;
        var bench = BenchmarkTables.Load(space, request.DataDirectory);
        string Opt(string k, string d) => o.TryGetValue(k, out var v) ? v : d;
        double Num(string k, double d) => o.TryGetValue(k, out var v)
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : throw new NasInputException($"Option {k}='{v}' is not a number.")
            : d;
        int Int(string k, int d) => o.TryGetValue(k, out var v)
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : throw new NasInputException($"Option {k}='{v}' is not an integer.")
            : d;

        var predictorChoice = Opt("predictor", "all");
        var predictorPath = predictorChoice switch
        {
            "transfer" => PredictorModel.DefaultPath(space, dataset),
            "all" => PredictorModel.DefaultPath(space),
            var p => p,
        };
        using var score = ScoreModel.Load(Opt("score", ScoreModel.DefaultPath(space)), space);
        using var predictor = PredictorModel.Load(predictorPath, space);
        var generator = new DiffusionGenerator(score, predictor, new SamplerOptions { Steps = Int("steps", 100) });
        var schedule = new GuidanceSchedule(Num("scale", 8), Num("scale_step", 1), Num("scale_floor", 0.5), Int("batch", 256), Int("rounds", 20));
        int wanted = Int("candidates", Math.Max(10, 2 * request.Budget));
        var collected = GuidedCollection.Collect(generator, dataset, wanted, request.Seed, schedule, null, request.Progress, request.Cancel);
        if (collected.Candidates.Count == 0) throw new InvalidOperationException("DiffusionNAG generated no valid architecture; the weights are unusable.");

        var predicted = predictor.PredictClean(collected.Candidates, dataset);
        var order = Enumerable.Range(0, predicted.Length).OrderByDescending(i => predicted[i]).ThenBy(i => i).Take(request.Budget).ToArray();
        var trajectory = new List<double>();
        var evaluated = new List<Dictionary<string, object?>>();
        double bestAcc = double.NegativeInfinity;
        int bestIdx = -1;
        foreach (var i in order)
        {
            request.Cancel.ThrowIfCancellationRequested();
            var arch = collected.Candidates[i];
            var acc = bench.Query(bench.IndexOf(arch) ?? throw new InvalidOperationException("Generated architecture missing from the table."), dataset, BenchMetric.TestAccuracy)
                ?? double.NaN;
            if (double.IsFinite(acc) && acc > bestAcc) { bestAcc = acc; bestIdx = i; }
            trajectory.Add(bestAcc);
            evaluated.Add(new() { ["arch"] = score.Encoding.Key(arch), ["predicted_z"] = predicted[i], ["test_accuracy"] = acc });
        }
        if (bestIdx < 0) throw new InvalidOperationException("No evaluated candidate had a recorded accuracy.");
        return new SearchOutcome(collected.Candidates[bestIdx], bestAcc, order.Length, sw.Elapsed)
        {
            Trajectory = trajectory,
            Details = new Dictionary<string, object?>
            {
                ["metric"] = BenchMetric.TestAccuracy,
                ["predictor"] = Path.GetFullPath(predictorPath),
                ["predictor_saw_target"] = predictor.Saw(dataset),
                ["candidates"] = collected.Candidates.Count,
                ["generated"] = collected.Generated,
                ["valid"] = collected.Valid,
                ["rounds"] = collected.Rounds,
                ["scales"] = collected.Scales,
                ["non_finite_steps"] = collected.NonFiniteSteps,
                ["evaluated"] = evaluated,
            },
        };
    }
}
