using System.CommandLine;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Diffusion.Search;
using NasSharp.Diffusion.Training;
using NasSharp.Search;
using NasSharp.Spaces;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas diffusion train|train-predictor|sample|search`: DiffusionNAG, guided graph diffusion over fixed-topology cells.</summary>
public static class DiffusionCommands
{
    public static Command Create(CliContext ctx)
    {
        RegisterProcedures();
        var cmd = new Command("diffusion", "DiffusionNAG: a score-based diffusion model generates architectures, optionally guided by a noise-aware accuracy predictor.");
        cmd.Subcommands.Add(Train(ctx));
        cmd.Subcommands.Add(TrainPredictor(ctx));
        cmd.Subcommands.Add(Sample(ctx));
        cmd.Subcommands.Add(SearchCommand(ctx));
        foreach (var c in DiffusionMbv3Commands.Create(ctx)) cmd.Subcommands.Add(c);
        return cmd;
    }

    /// <summary>Makes "diffusionnag" visible to `nas search --strategy` (idempotent).</summary>
    public static void RegisterProcedures() => SearchProcedures.Register(new DiffusionNagSearch());

    private static string F(double v, string format = "F2") => v.ToString(format, CultureInfo.InvariantCulture);
    private static string Pct(double v) => (100 * v).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static Option<int> Threads() => new("--threads") { Description = "Torch threads (the machine's cores are shared; 1–2).", DefaultValueFactory = _ => 2 };

    private static void SetThreads(ParseResult r, Option<int> threads) =>
        TorchSharp.torch.set_num_threads(Math.Clamp(r.GetValue(threads), 1, Environment.ProcessorCount));

    private static string CommandLine() => "nas " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));

    private static Command Train(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var steps = new Option<int>("--steps") { Description = "Training iterations.", DefaultValueFactory = _ => 2000 };
        var seed = CommonOptions.Seed();
        var output = CommonOptions.OutputFile("--out", "Where to write the score-model weights.", required: true);
        var batch = new Option<int>("--batch-size") { Description = "Architectures per step.", DefaultValueFactory = _ => 256 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (linear warm-up over 100 steps).", DefaultValueFactory = _ => 1e-3 };
        var ema = new Option<double>("--ema") { Description = "EMA decay of the weights used for sampling.", DefaultValueFactory = _ => 0.999 };
        var blocks = new Option<int>("--blocks") { Description = "Transformer blocks (released code: 12).", DefaultValueFactory = _ => 2 };
        var width = new Option<int>("--width") { Description = "Transformer width.", DefaultValueFactory = _ => 64 };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => 4 };
        var fraction = new Option<double>("--train-fraction") { Description = "Fraction of the space the model trains on (0.5 = the paper's novelty setting; 1 = all).", DefaultValueFactory = _ => 0.5 };
        var sigmaMax = new Option<double>("--sigma-max") { Description = "σ_max of the VE-SDE (σ_min is 0.1).", DefaultValueFactory = _ => 5.0 };
        var dropout = new Option<double>("--dropout") { Description = "Dropout in the transformer (released code: 0.1).", DefaultValueFactory = _ => 0.1 };
        var snapshotEvery = new Option<int>("--snapshot-every") { Description = "Also save the EMA weights every K steps as OUT-stepK.dnag (identical to a run with --steps K).", DefaultValueFactory = _ => 0 };
        var threads = Threads();
        var cmd = new Command("train", "Train the unconditional score model (denoising score matching on the VE-SDE) and save its EMA weights.")
            { space, steps, seed, output, batch, lr, ema, blocks, width, heads, fraction, sigmaMax, dropout, snapshotEvery, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r, threads);
            var enc = DiffusionEncodings.Get(r.GetValue(space)!);
            var options = new ScoreTrainingOptions
            {
                Steps = r.GetValue(steps), Seed = r.GetValue(seed), BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr), EmaDecay = r.GetValue(ema),
                Split = new TrainingSplit(r.GetValue(fraction), 0), Sde = new VeSde(0.1, r.GetValue(sigmaMax)), SnapshotEvery = r.GetValue(snapshotEvery),
                Model = new TransformerConfig
                {
                    Blocks = r.GetValue(blocks), Width = r.GetValue(width), Heads = r.GetValue(heads), HeadHidden = 2 * r.GetValue(blocks) * r.GetValue(width),
                    Dropout = r.GetValue(dropout),
                },
            };
            var info = new Dictionary<string, string> { ["command"] = CommandLine(), ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture) };
            var outPath = r.GetValue(output)!;
            void Snapshot(int step, ScoreModel m) => m.Save(Path.ChangeExtension(outPath, null) + $"-step{step}.dnag");
            var (model, report) = ctx.WithProgress(r, "training score model", p => ScoreTrainer.Train(enc, options, info, p, default, Snapshot));
            using (model)
            {
                var path = r.GetValue(output)!;
                model.Save(path);
                var result = new Dictionary<string, object?>
                {
                    ["out"] = Path.GetFullPath(path), ["space"] = enc.SpaceName, ["steps"] = options.Steps, ["seed"] = options.Seed,
                    ["training_architectures"] = report.TrainingArchitectures, ["parameters"] = report.Parameters,
                    ["first_loss"] = report.Losses[0], ["final_loss"] = report.Losses[^1], ["seconds"] = report.Seconds,
                };
                if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
                ctx.Console.MarkupLine($"Trained {report.Parameters:N0} parameters on {report.TrainingArchitectures:N0} {enc.SpaceName} architectures, {options.Steps} steps in {report.Seconds:F0} s; loss {F(report.Losses[0], "F3")} → {F(report.Losses[^1], "F3")}.");
                ctx.Console.MarkupLine($"Saved {Markup.Escape(Path.GetFullPath(path))}");
            }
            return 0;
        });
        return cmd;
    }

    private static Command TrainPredictor(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var steps = new Option<int>("--steps") { Description = "Training iterations.", DefaultValueFactory = _ => 1500 };
        var seed = CommonOptions.Seed();
        var output = CommonOptions.OutputFile("--out", "Where to write the predictor weights.", required: true);
        var exclude = new Option<string?>("--exclude") { Description = "Leave this dataset's accuracies out (transfer check: guide towards it later)." };
        var sigmaMax = new Option<double>("--sigma-max") { Description = "σ_max of the VE-SDE; must equal the score model's (σ_min is 0.1).", DefaultValueFactory = _ => 5.0 };
        var threads = Threads();
        var cmd = new Command("train-predictor", "Train the noise-aware, dataset-conditioned accuracy predictor on noised encodings with the benchmark's test accuracies.")
            { space, steps, seed, output, exclude, sigmaMax, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r, threads);
            var enc = DiffusionEncodings.Get(r.GetValue(space)!);
            string? excluded = r.GetValue(exclude) is { } e ? DatasetCatalog.Get(e).Name : null;
            var datasets = DatasetCatalog.All.Select(d => d.Name).Where(d => d != excluded).ToArray();
            var sde = new VeSde(0.1, r.GetValue(sigmaMax));
            var rows = PredictorTrainer.BenchmarkRows(enc, ctx.DataDir(r), datasets);
            var options = new PredictorTrainingOptions { Steps = r.GetValue(steps), Seed = r.GetValue(seed), Sde = sde };
            var info = new Dictionary<string, string>
            {
                ["command"] = CommandLine(), ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
                ["datasets"] = string.Join(",", datasets), ["excluded"] = excluded ?? "",
            };
            var (model, report) = ctx.WithProgress(r, "training predictor", p => PredictorTrainer.Train(enc, rows, options, null, info, p));
            using (model)
            {
                var path = r.GetValue(output)!;
                model.Save(path);
                var result = new Dictionary<string, object?>
                {
                    ["out"] = Path.GetFullPath(path), ["space"] = enc.SpaceName, ["datasets"] = datasets, ["excluded"] = excluded,
                    ["train_rows"] = report.TrainRows, ["validation_rows"] = report.ValidationRows,
                    ["validation_pearson"] = report.ValidationPearson, ["validation_kendall"] = report.ValidationKendall,
                    ["best_step"] = report.BestStep, ["seconds"] = report.Seconds, ["seed"] = options.Seed,
                };
                if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
                ctx.Console.MarkupLine($"Trained on {report.TrainRows:N0} rows ({string.Join(", ", datasets)}) in {report.Seconds:F0} s; held-out ({report.ValidationRows}) Pearson {F(report.ValidationPearson, "F3")}, Kendall τ {F(report.ValidationKendall, "F3")} at step {report.BestStep}.");
                ctx.Console.MarkupLine($"Saved {Markup.Escape(Path.GetFullPath(path))}");
            }
            return 0;
        });
        return cmd;
    }

    private static Command Sample(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var count = new Option<int>("--count", "-n") { Description = "Architectures to generate per seed (1–1,000,000; drawn in batches of 1,000, the batch repulsion couples samples within a batch).", DefaultValueFactory = _ => 1000 };
        var seed = CommonOptions.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Repeat with seeds SEED..SEED+K−1 and report mean ± std over them.", DefaultValueFactory = _ => 1 };
        var weights = new Option<string?>("--weights") { Description = "Score-model weights (default: the shipped ones next to the app)." };
        var predictorWeights = new Option<string?>("--predictor") { Description = "Predictor weights for guidance (default: the shipped one trained on all datasets)." };
        var guided = new Option<bool>("--guided") { Description = "Guide generation with the predictor towards --dataset." };
        var dataset = new Option<string?>("--dataset") { Description = "Target dataset (cifar10, cifar100, imagenet16-120); also reports the true accuracy of the generated set." };
        var scale = new Option<double>("--scale") { Description = "Guidance scale w (score + w·∇f; labels are z-scores).", DefaultValueFactory = _ => 5.0 };
        var defaults = new SamplerOptions();
        var steps = new Option<int>("--steps") { Description = "Sampler time steps.", DefaultValueFactory = _ => defaults.Steps };
        var snr = new Option<double>("--snr") { Description = "Signal-to-noise ratio of the Langevin corrector.", DefaultValueFactory = _ => defaults.Snr };
        var corrector = new Option<int>("--corrector-steps") { Description = "Langevin corrector steps per time step (0 = predictor only).", DefaultValueFactory = _ => defaults.CorrectorSteps };
        var predictorKind = new Option<PredictorKind>("--predictor-step") { Description = "reverse-diffusion or euler-maruyama.", DefaultValueFactory = _ => defaults.Predictor };
        var repulsion = new Option<double?>("--repulsion") { Description = "Batch repulsion γ: pushes samples heading for the same architecture apart (0 = independent samples; default 1 on nb201, 0 elsewhere)." };
        var show = new Option<int>("--show") { Description = "Print this many generated architectures (all of them go to --json).", DefaultValueFactory = _ => 5 };
        var threads = Threads();
        var cmd = new Command("sample", "Generate architectures (in batches of 1,000) and report validity, uniqueness and novelty (and true accuracy with --dataset).")
            { space, count, seed, seeds, weights, predictorWeights, guided, dataset, scale, steps, snr, corrector, predictorKind, repulsion, show, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r, threads);
            int n = r.GetValue(count), k = r.GetValue(seeds), seed0 = r.GetValue(seed);
            double w = r.GetValue(scale);
            if (double.IsNaN(w) || double.IsInfinity(w) || w < 0) throw new NasInputException($"--scale must be a finite number ≥ 0, got {w}.");
            var enc = DiffusionEncodings.Get(r.GetValue(space)!);
            string? ds = r.GetValue(dataset) is { } d ? DatasetCatalog.Get(d).Name : null;
            bool isGuided = r.GetValue(guided);
            if (isGuided && ds is null) throw new NasInputException("--guided needs --dataset cifar10|cifar100|imagenet16-120.");
            using var score = ScoreModel.Load(r.GetValue(weights) ?? ScoreModel.DefaultPath(enc.SpaceName), enc.SpaceName);
            using var predictor = isGuided ? PredictorModel.Load(r.GetValue(predictorWeights) ?? PredictorModel.DefaultPath(enc.SpaceName), enc.SpaceName) : null;
            var options = new SamplerOptions { Steps = r.GetValue(steps), Snr = r.GetValue(snr), CorrectorSteps = r.GetValue(corrector), Predictor = r.GetValue(predictorKind), Repulsion = r.GetValue(repulsion) ?? SamplerOptions.DefaultRepulsion(enc.SpaceName) };
            options.Validate();
            var generator = new DiffusionGenerator(score, predictor, options);
            var bench = ds is null ? null : BenchmarkTables.Load(enc.SpaceName, ctx.DataDir(r));
            double[] spaceAcc = bench is null ? [] : Enumerable.Range(0, bench.Count).Select(i => bench.Query(i, ds!, BenchMetric.TestAccuracy) ?? double.NaN).Where(double.IsFinite).Order().ToArray();

            var runs = new List<Dictionary<string, object?>>();
            var results = new List<GenerationResult>();
            ctx.WithProgress(r, "sampling", p =>
            {
                for (int i = 0; i < k; i++)
                {
                    int idx = i;
                    var inner = new Progress<ProgressInfo>(pi => p.Report(new ProgressInfo(idx * pi.Total + pi.Done, k * pi.Total, k > 1 ? $"seed {seed0 + idx}" : null)));
                    var result = generator.Run(n, seed0 + i, ds, isGuided ? w : 0, inner);
                    results.Add(result);
                    runs.Add(RunJson(result, seed0 + i, bench, ds, spaceAcc, enc));
                }
                return 0;
            });
            var json = new Dictionary<string, object?>
            {
                ["space"] = enc.SpaceName, ["count"] = n, ["seed"] = seed0, ["seeds"] = k, ["guided"] = isGuided, ["scale"] = isGuided ? w : 0.0,
                ["dataset"] = ds, ["steps"] = options.Steps, ["snr"] = options.Snr, ["corrector_steps"] = options.CorrectorSteps, ["repulsion"] = options.Repulsion,
                ["predictor_step"] = options.Predictor, ["training_architectures"] = generator.TrainingKeys.Count,
            };
            if (bench is not null) { json["space_mean_test_accuracy"] = spaceAcc.Average(); json["space_max_test_accuracy"] = spaceAcc[^1]; }
            string[] metrics = ["validity", "uniqueness", "novelty", "mean_test_accuracy", "max_test_accuracy", "mean_percentile", "seconds"];
            if (k == 1) foreach (var (key, v) in runs[0]) json[key] = v;
            else
            {
                json["runs"] = runs.Select(run => run.Where(kv => kv.Key != "architectures").ToDictionary()).ToArray();
                json["summary"] = metrics.Where(m => runs.Any(x => x.GetValueOrDefault(m) is double))
                    .ToDictionary(m => m, m => MeanStd(runs.Select(x => x.GetValueOrDefault(m)).OfType<double>()));
            }
            if (ctx.Json(r)) { ctx.WriteJson(json); return 0; }
            var t = new Table().AddColumns("metric", k == 1 ? "value" : $"mean ± std over seeds {seed0}–{seed0 + k - 1}");
            string Show(string m, Func<double, string> fmt)
            {
                var vals = runs.Select(x => x.GetValueOrDefault(m)).OfType<double>().ToArray();
                if (vals.Length == 0) return "n/a";
                if (k == 1) return fmt(vals[0]);
                var (mean, std) = (vals.Average(), Std(vals));
                return $"{fmt(mean)} ± {fmt(std)}";
            }
            t.AddRow("generated per seed", n.ToString(CultureInfo.InvariantCulture));
            t.AddRow("validity", Show("validity", Pct));
            t.AddRow("uniqueness (of valid)", Show("uniqueness", Pct));
            t.AddRow($"novelty (vs {generator.TrainingKeys.Count:N0} training archs)", Show("novelty", Pct));
            if (ds is not null)
            {
                t.AddRow($"mean {ds} test acc (unique valid)", Show("mean_test_accuracy", v => F(v) + " %"));
                t.AddRow($"max {ds} test acc", Show("max_test_accuracy", v => F(v) + " %"));
                t.AddRow("mean percentile in the space", Show("mean_percentile", Pct));
                t.AddRow("space mean / max", $"{F(spaceAcc.Average())} % / {F(spaceAcc[^1])} %");
            }
            t.AddRow("non-finite (samples / guarded steps)", $"{results.Sum(x => x.NonFiniteSamples)} / {results.Sum(x => x.NonFiniteSteps)}");
            t.AddRow("sampling time per seed", Show("seconds", v => F(v) + " s"));
            ctx.Console.Write(t);
            foreach (var a in results[0].UniqueArchitectures.Take(Math.Max(0, r.GetValue(show))))
                ctx.Console.MarkupLine(Markup.Escape(enc.Key(a)));
            return 0;
        });
        return cmd;
    }

    /// <summary>One sampling run as JSON: quality statistics and, with a dataset, the true accuracy of the distinct valid samples.</summary>
    private static Dictionary<string, object?> RunJson(GenerationResult result, int seed, IBenchmark? bench, string? ds, double[] spaceSorted, IDiffusionEncoding enc)
    {
        var json = new Dictionary<string, object?>
        {
            ["seed"] = seed, ["valid"] = result.Valid, ["unique"] = result.Unique, ["novel"] = result.Novel,
            ["validity"] = result.Validity, ["uniqueness"] = result.Uniqueness, ["novelty"] = result.Novelty,
            ["non_finite_samples"] = result.NonFiniteSamples, ["non_finite_steps"] = result.NonFiniteSteps, ["seconds"] = result.Seconds,
        };
        double[]? accs = null;
        if (bench is not null && ds is not null)
        {
            accs = result.UniqueArchitectures.Select(a => bench.Query(bench.IndexOf(a)!.Value, ds, BenchMetric.TestAccuracy) ?? double.NaN).ToArray();
            var finite = accs.Where(double.IsFinite).ToArray();
            json["mean_test_accuracy"] = finite.Length > 0 ? finite.Average() : null;
            json["max_test_accuracy"] = finite.Length > 0 ? finite.Max() : null;
            // Fraction of the space at or below each accuracy (binary search in the sorted table).
            json["mean_percentile"] = finite.Length > 0 ? finite.Average(a => UpperBound(spaceSorted, a) / (double)spaceSorted.Length) : null;
        }
        json["architectures"] = result.UniqueArchitectures.Select((a, i) => new Dictionary<string, object?>
        {
            ["arch"] = enc.Key(a), ["test_accuracy"] = accs is null || !double.IsFinite(accs[i]) ? null : accs[i],
        }).ToArray();
        return json;
    }

    private static int UpperBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static double Std(IReadOnlyCollection<double> v)
    {
        if (v.Count < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }

    private static Dictionary<string, double> MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return new() { ["mean"] = v.Average(), ["std"] = Std(v) };
    }

    private static Command SearchCommand(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var seed = CommonOptions.Seed();
        var evaluations = new Option<int>("--evaluations") { Description = "Top-ranked candidates evaluated by benchmark lookup (the budget).", DefaultValueFactory = _ => 5 };
        var predictor = new Option<string>("--predictor") { Description = "all (shipped, saw every dataset), transfer (trained without the target dataset), or a weights file.", DefaultValueFactory = _ => "all" };
        var scale = new Option<double>("--scale") { Description = "Starting guidance scale of the decreasing schedule.", DefaultValueFactory = _ => 8 };
        var candidates = new Option<int?>("--candidates") { Description = "Distinct valid candidates to collect before ranking (default max(10, 2·evaluations))." };
        var threads = Threads();
        var cmd = new Command("search", "Transferable NAS with DiffusionNAG (same as `nas search --strategy diffusionnag`): guided generation, predictor ranking, top-N evaluation.")
            { space, dataset, seed, evaluations, predictor, scale, candidates, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r, threads);
            var s = SearchSpaces.Get(r.GetValue(space)!);
            var options = new Dictionary<string, string>
            {
                ["predictor"] = r.GetValue(predictor)!, ["scale"] = r.GetValue(scale).ToString("R", CultureInfo.InvariantCulture),
            };
            if (r.GetValue(candidates) is { } k) options["candidates"] = k.ToString(CultureInfo.InvariantCulture);
            var request = new SearchRequest(s, r.GetValue(dataset)!, r.GetValue(seed), r.GetValue(evaluations), ctx.DataDir(r)) { Options = options };
            var outcome = ctx.WithProgress(r, "generating", p => SearchProcedures.Get("diffusionnag").Run(request with { Progress = p }));
            var json = new Dictionary<string, object?>
            {
                ["strategy"] = "diffusionnag", ["space"] = s.Name, ["dataset"] = request.Dataset, ["seed"] = request.Seed,
                ["best"] = s.Format(outcome.Best), ["best_test_accuracy"] = outcome.BestScore, ["evaluations"] = outcome.Evaluations,
                ["seconds"] = outcome.Wall.TotalSeconds, ["trajectory"] = outcome.Trajectory,
            };
            foreach (var (key, v) in outcome.Details) json[key] = v;
            if (ctx.Json(r)) { ctx.WriteJson(json); return 0; }
            ctx.Console.MarkupLine($"[bold]diffusionnag[/] (seed {request.Seed}, {request.Dataset}) found {Markup.Escape(s.Format(outcome.Best))}");
            ctx.Console.MarkupLine($"  true test accuracy {F(outcome.BestScore)} % after {outcome.Evaluations} evaluation(s); {outcome.Details["candidates"]} candidates from {outcome.Details["rounds"]} round(s), {outcome.Wall.TotalSeconds:F1} s");
            return 0;
        });
        return cmd;
    }
}
