using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces.Mbv3;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>
/// `nas diffusion bo-compare`: ask/tell strategies (DiffusionNAG-BO, BANANAS, random, ...) × seeds in the MobileNetV3
/// space with the OFA accuracy predictor as the objective — the best predicted top-1 found vs number of evaluations.
/// All strategies search the space at resolution 224, because DiffusionNAG does not generate the resolution.
/// </summary>
public static class DiffusionBoCompareCommand
{
    /// <summary>One strategy's best-so-far curves: Best[seed][q-1] = best OFA top-1 (%) after q evaluations.</summary>
    public sealed record Curves(string Strategy, IReadOnlyList<double[]> Best, double MeanSeconds)
    {
        public (double Mean, double Std) At(int q) => MeanStd(Best.Select(b => b[Math.Min(q, b.Length) - 1]));
    }

    public static Command Create(CliContext ctx)
    {
        SearchCommands.RegisterProcedures(); // the composition root registers diffusion-bo and the other library strategies
        var strategies = new Option<string>("--strategies") { Description = "Comma-separated ask/tell strategies.", DefaultValueFactory = _ => "random,bananas,diffusion-bo" };
        var seeds = new Option<int>("--seeds") { Description = "Runs per strategy, with seeds FIRST..FIRST+N-1.", DefaultValueFactory = _ => 5 };
        var firstSeed = new Option<int>("--first-seed") { Description = "First seed (to split the seeds over several processes).", DefaultValueFactory = _ => 0 };
        var budget = new Option<int>("--budget") { Description = "Evaluations (OFA-predictor queries) per run.", DefaultValueFactory = _ => 100 };
        var resolution = new Option<int>("--resolution") { Description = "Input resolution all strategies search at (DiffusionNAG generates blocks only).", DefaultValueFactory = _ => 224 };
        var plot = CommonOptions.OutputFile("--plot", "Write the mean best-so-far curves (± std band) to this PNG.");
        var options = new Option<string[]>("--option") { Description = "Strategy option KEY=VALUE (repeatable), given to every strategy that takes KEY; prefix NAME. to target one (bananas.k=5). MBv3 default: encoding=adjacency (a chain has a single path).", AllowMultipleArgumentsPerToken = true };
        var merge = new Option<string[]>("--merge") { Description = "Instead of running, combine the curves of earlier `bo-compare --json` outputs (files; e.g. seeds split over processes) into one table and plot.", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Torch threads for strategies that use torch (1–2 on the shared machine).", DefaultValueFactory = _ => 1 };
        var cmd = new Command("bo-compare", "MBv3 with the OFA accuracy predictor as objective: best predicted ImageNet top-1 vs evaluations for several strategies and seeds (DiffusionNAG-BO vs BANANAS vs random).")
            { strategies, seeds, firstSeed, budget, resolution, plot, options, merge, threads };
        cmd.SetAction((r, cancel) =>
        {
            TorchSharp.torch.set_num_threads(Math.Clamp(r.GetValue(threads), 1, Environment.ProcessorCount));
            int nSeeds = r.GetValue(seeds), first = r.GetValue(firstSeed), b = r.GetValue(budget);
            if (nSeeds < 1) throw new NasInputException($"--seeds must be at least 1, got {nSeeds}.");
            if (b < 1) throw new NasInputException($"--budget must be a positive number of evaluations, got {b}.");
            var names = r.GetValue(strategies)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0) throw new NasInputException("Give at least one strategy in --strategies.");
            var merged = r.GetValue(merge) is { Length: > 0 } files ? Merge(files) : null;
            var definitions = merged is null ? names.Select(StrategyCatalog.Get).ToArray() : []; // unknown names fail before any work
            var pairs = ParsePairs(r.GetValue(options) ?? []);
            RequireKnownPairs(definitions, pairs);
            var space = new Mbv3FixedResolutionSpace(r.GetValue(resolution));
            var evaluator = new OfaPredictorEvaluator(OfaAccuracyPredictor.Load(ctx.DataDir(r)));
            string? png = r.GetValue(plot);

            if (merged is not null) { b = merged.Min(x => x.Best.Min(c => c.Length)); nSeeds = merged.Max(x => x.Best.Count); }
            var results = merged ?? ctx.WithProgress(r, "bo-compare", progress =>
            {
                var list = new List<Curves>();
                int done = 0, total = definitions.Length * nSeeds;
                foreach (var d in definitions)
                {
                    var opts = OptionsFor(d, pairs);
                    var best = new List<double[]>();
                    var clock = Stopwatch.StartNew();
                    for (int seed = first; seed < first + nSeeds; seed++)
                    {
                        progress.Report(new ProgressInfo(done, total, $"{d.Name} seed {seed}"));
                        var strategy = d.Create(space, seed, opts);
                        try
                        {
                            var trials = SearchLoop.Run(space, strategy, evaluator, b, cancel: cancel);
                            var curve = new double[b];
                            double inc = double.NegativeInfinity;
                            for (int q = 0; q < b; q++)
                            {
                                if (!trials[q].Result.Failed && trials[q].Result.Score > inc) inc = trials[q].Result.Score;
                                curve[q] = inc;
                            }
                            best.Add(curve);
                        }
                        finally { (strategy as IDisposable)?.Dispose(); }
                        progress.Report(new ProgressInfo(++done, total, $"{d.Name} seed {seed}"));
                    }
                    list.Add(new Curves(d.Name, best, clock.Elapsed.TotalSeconds / nSeeds));
                }
                return list;
            });
            var checkpoints = new[] { 10, 20, 30, 50, 75, 100, 150, 200, 300, 500 }.Where(q => q < b).Append(b).Distinct().ToArray();
            // Written after the results are printed, so a failing plot write keeps them.
            int WritePlot() => png is null ? 0 : ctx.WriteLate("--plot", png, () => SavePlot(png, results, b, nSeeds, space.Resolution));
            if (ctx.Json(r))
            {
                ctx.WriteJson(new
                {
                    space = "mbv3", resolution = space.Resolution, objective = OfaPredictorEvaluator.MetricName, seeds = nSeeds, first_seed = first, budget = b, plot = png,
                    options = pairs,
                    strategies = results.Select(x => new
                    {
                        strategy = x.Strategy, final_mean = x.At(b).Mean, final_std = x.At(b).Std, mean_wall_s = x.MeanSeconds,
                        final_per_seed = x.Best.Select(c => c[b - 1]),
                        curves = x.Best,
                        by_evaluations = checkpoints.Select(q => new { evaluations = q, mean = x.At(q).Mean, std = x.At(q).Std }),
                    }),
                });
                return Task.FromResult(WritePlot());
            }
            ctx.Console.MarkupLine($"MBv3 at r={space.Resolution}, OFA-predicted ImageNet top-1 (%) of the best architecture found, mean ± std over {nSeeds} seeds");
            var t = new Table().AddColumn("strategy");
            foreach (var q in checkpoints) t.AddColumn($"{q} evals");
            t.AddColumn("s / run");
            foreach (var x in results)
                t.AddRow([x.Strategy, .. checkpoints.Select(q => $"{F(x.At(q).Mean)} ± {F(x.At(q).Std)}"), F(x.MeanSeconds)]);
            ctx.Console.Write(t);
            return Task.FromResult(WritePlot());
        });
        return cmd;
    }

    /// <summary>Curves per strategy from earlier --json outputs, concatenated over files in the order given.</summary>
    private static List<Curves> Merge(IEnumerable<string> files)
    {
        var byName = new Dictionary<string, (List<double[]> Best, List<double> Seconds)>();
        var order = new List<string>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw new NasInputException($"--merge: '{f}' does not exist.");
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(f));
                foreach (var st in doc.RootElement.GetProperty("strategies").EnumerateArray())
                {
                    var name = st.GetProperty("strategy").GetString()!;
                    if (!byName.TryGetValue(name, out var acc)) { byName[name] = acc = ([], []); order.Add(name); }
                    var curves = st.GetProperty("curves").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
                    acc.Best.AddRange(curves);
                    acc.Seconds.AddRange(Enumerable.Repeat(st.GetProperty("mean_wall_s").GetDouble(), curves.Count));
                }
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new NasInputException($"--merge: '{f}' is not a `nas diffusion bo-compare --json` output ({e.Message}).");
            }
        }
        if (order.Count == 0) throw new NasInputException("--merge: the files hold no strategies.");
        return order.Select(n => new Curves(n, byName[n].Best, byName[n].Seconds.Average())).ToList();
    }

    /// <summary>KEY=VALUE pairs; NAME.KEY targets one strategy.</summary>
    private static Dictionary<string, string> ParsePairs(IEnumerable<string> raw)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in raw)
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new NasInputException($"--option '{p}' is not KEY=VALUE (e.g. --option k=5).");
            d[p[..eq].Trim()] = p[(eq + 1)..].Trim();
        }
        return d;
    }

    /// <summary>A generic key no strategy takes, or NAME.KEY for a strategy not compared (or a key it does not take), is refused.</summary>
    private static void RequireKnownPairs(StrategyDefinition[] definitions, Dictionary<string, string> pairs)
    {
        if (definitions.Length == 0) return; // --merge: nothing runs
        StrategyCatalog.RequireAcceptedBySome(definitions, pairs.Keys.Where(k => !k.Contains('.')), ownKeysOnly: true);
        foreach (var key in pairs.Keys.Where(k => k.Contains('.')))
        {
            string name = key[..key.IndexOf('.')];
            var d = definitions.FirstOrDefault(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new NasInputException($"--option {key}: '{name}' is not one of the compared strategies ({string.Join(", ", definitions.Select(x => x.Name))}).");
            StrategyCatalog.RequireAcceptedBySome([d], [key[(name.Length + 1)..]], ownKeysOnly: true);
        }
    }

    /// <summary>The options a strategy takes: generic keys it declares, then NAME.KEY overrides; encoding=adjacency by default.</summary>
    private static Dictionary<string, string> OptionsFor(StrategyDefinition d, Dictionary<string, string> pairs)
    {
        var keys = new HashSet<string>(d.OptionKeys, StringComparer.OrdinalIgnoreCase);
        var o = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (keys.Contains("encoding")) o["encoding"] = "adjacency";
        foreach (var (k, v) in pairs.Where(p => !p.Key.Contains('.') && keys.Contains(p.Key))) o[k] = v;
        string prefix = d.Name + ".";
        foreach (var (k, v) in pairs.Where(p => p.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))) o[k[prefix.Length..]] = v;
        return o;
    }

    private static void SavePlot(string path, IReadOnlyList<Curves> results, int budget, int seeds, int resolution)
    {
        var plt = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        double[] xs = Enumerable.Range(1, budget).Select(q => (double)q).ToArray();
        foreach (var x in results)
        {
            var color = palette.GetColor(i++);
            var stats = Enumerable.Range(1, budget).Select(x.At).ToArray();
            TrajectoryPlot.AddMeanStd(plt, color, xs, stats.Select(s => s.Mean).ToArray(), stats.Select(s => s.Std).ToArray(), x.Strategy);
        }
        plt.Title($"MBv3 (r={resolution}), OFA predictor objective: best found, mean ± std over {seeds} seeds");
        plt.XLabel("evaluations (OFA-predictor queries)");
        plt.YLabel("best predicted ImageNet top-1 (%)");
        plt.ShowLegend(ScottPlot.Alignment.LowerRight);
        plt.SavePng(path, 1000, 650);
    }

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double m = v.Average();
        return (m, v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1)));
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
