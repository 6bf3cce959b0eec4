using System.CommandLine;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Diffusion.Encoding;
using NasSharp.Diffusion.Model;
using NasSharp.Diffusion.Sampling;
using NasSharp.Diffusion.Training;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>
/// DiffusionNAG in the MobileNetV3 (once-for-all) space, where the objective is the OFA accuracy predictor:
/// `nas diffusion ofa-predictor` trains the noise-aware guidance predictor on OFA-predicted accuracies of sampled
/// sub-networks, `nas diffusion ofa-guidance` measures unguided vs guided generation over seeds, `nas diffusion bo-compare`
/// compares BO strategies with the OFA predictor as objective.
/// </summary>
public static class DiffusionMbv3Commands
{
    public static IEnumerable<Command> Create(CliContext ctx) => [OfaPredictor(ctx), OfaGuidance(ctx), DiffusionBoCompareCommand.Create(ctx)];

    private static string F(double v, string format = "F2") => v.ToString(format, CultureInfo.InvariantCulture);
    private static string CommandLine() => "nas " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));

    private static Option<int> Threads() => new("--threads") { Description = "Torch threads (the machine's cores are shared; 1–2).", DefaultValueFactory = _ => 2 };
    private static void SetThreads(ParseResult r, Option<int> threads) =>
        TorchSharp.torch.set_num_threads(Math.Clamp(r.GetValue(threads), 1, Environment.ProcessorCount));

    private static Command OfaPredictor(CliContext ctx)
    {
        var archs = new Option<int>("--archs") { Description = "Sub-networks sampled (resolution 224) and labelled by the OFA predictor.", DefaultValueFactory = _ => 5000 };
        var steps = new Option<int>("--steps") { Description = "Training iterations.", DefaultValueFactory = _ => 1500 };
        var seed = CommonOptions.Seed();
        var output = CommonOptions.OutputFile("--out", "Where to write the predictor weights.", required: true);
        var sigmaMax = new Option<double>("--sigma-max") { Description = "σ_max of the VE-SDE; must equal the score model's (σ_min is 0.1).", DefaultValueFactory = _ => 5.0 };
        var threads = Threads();
        var cmd = new Command("ofa-predictor", "MBv3: train the noise-aware guidance predictor on OFA-predicted ImageNet top-1 of sampled sub-networks (needs ofa/acc_predictor.json in the data directory).")
            { archs, steps, seed, output, sigmaMax, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r, threads);
            var ofa = OfaAccuracyPredictor.Load(ctx.DataDir(r));
            var rows = Mbv3OfaLabels.Sample(ofa, r.GetValue(archs), r.GetValue(seed));
            var options = new PredictorTrainingOptions { Steps = r.GetValue(steps), Seed = r.GetValue(seed), Sde = new VeSde(0.1, r.GetValue(sigmaMax)), UnseenDropout = 0 };
            var info = new Dictionary<string, string>
            {
                ["command"] = CommandLine(), ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture), ["labels"] = "OFA predictor top-1 (%), resolution 224",
            };
            var (model, report) = ctx.WithProgress(r, "training predictor", p => PredictorTrainer.Train(Mbv3Encoding.Instance, rows, options, null, info, p));
            using (model)
            {
                var path = r.GetValue(output)!;
                model.Save(path);
                if (ctx.Json(r))
                {
                    ctx.WriteJson(new
                    {
                        @out = Path.GetFullPath(path), space = "mbv3", archs = rows.Count, train_rows = report.TrainRows, validation_rows = report.ValidationRows,
                        validation_pearson = report.ValidationPearson, validation_kendall = report.ValidationKendall, best_step = report.BestStep,
                        label_mean = model.Labels["observations"].Mean, label_std = model.Labels["observations"].Std, seconds = report.Seconds, seed = options.Seed,
                    });
                    return 0;
                }
                ctx.Console.MarkupLine($"Trained on {report.TrainRows:N0} OFA-labelled MBv3 sub-networks (top-1 {F(model.Labels["observations"].Mean)} ± {F(model.Labels["observations"].Std)} %) in {report.Seconds:F0} s; held-out ({report.ValidationRows}) Pearson {F(report.ValidationPearson, "F3")}, Kendall τ {F(report.ValidationKendall, "F3")} at step {report.BestStep}.");
                ctx.Console.MarkupLine($"Saved {Markup.Escape(Path.GetFullPath(path))}");
            }
            return 0;
        });
        return cmd;
    }

    private static Command OfaGuidance(CliContext ctx)
    {
        var count = new Option<int>("--count", "-n") { Description = "Architectures generated per seed and setting.", DefaultValueFactory = _ => 500 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds 0..N-1.", DefaultValueFactory = _ => 3 };
        var weights = new Option<string?>("--weights") { Description = "MBv3 score-model weights (default: the shipped mbv3-score.dnag)." };
        var predictor = new Option<string?>("--predictor") { Description = "MBv3 guidance predictor (default: the shipped mbv3-predictor.dnag)." };
        var scales = new Option<string>("--scales") { Description = "Comma-separated guidance scales to compare (0 = unguided).", DefaultValueFactory = _ => "0,2,5" };
        var steps = new Option<int>("--steps") { Description = "Sampler time steps.", DefaultValueFactory = _ => 100 };
        var threads = Threads();
        var cmd = new Command("ofa-guidance", "MBv3: validity, uniqueness and OFA-predicted top-1 of generated sub-networks, unguided vs guided, per seed.")
            { count, seeds, weights, predictor, scales, steps, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r, threads);
            int n = r.GetValue(count), nSeeds = r.GetValue(seeds);
            if (n < 1 || nSeeds < 1) throw new NasInputException("-n and --seeds must be positive.");
            var ws = r.GetValue(scales)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
                double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && double.IsFinite(w) && w >= 0 ? w
                    : throw new NasInputException($"--scales: '{s}' is not a finite number ≥ 0.")).ToArray();
            if (ws.Length == 0) throw new NasInputException("--scales needs at least one value.");
            var ofa = OfaAccuracyPredictor.Load(ctx.DataDir(r));
            using var score = ScoreModel.Load(r.GetValue(weights) ?? ScoreModel.DefaultPath("mbv3"), "mbv3");
            using var guide = PredictorModel.Load(r.GetValue(predictor) ?? PredictorModel.DefaultPath("mbv3"), "mbv3");
            var generator = new DiffusionGenerator(score, guide, new SamplerOptions { Steps = r.GetValue(steps) });
            var stats = ctx.WithProgress(r, "sampling", p =>
            {
                var list = new List<Mbv3GenerationStats>();
                for (int s = 0; s < nSeeds; s++)
                    foreach (var w in ws)
                    {
                        p.Report(new ProgressInfo(list.Count, nSeeds * ws.Length, $"seed {s}, w {w:G3}"));
                        list.Add(Mbv3GuidanceCheck.Measure(generator, ofa, guide, n, s, w));
                    }
                return list;
            });
            var summary = ws.Select(w => stats.Where(x => x.Scale == w).ToArray()).Select(g => new
            {
                scale = g[0].Scale, validity = g.Average(x => x.Validity), uniqueness = g.Average(x => x.Uniqueness),
                mean_ofa_top1 = g.Average(x => x.MeanOfaAccuracy), mean_ofa_top1_std = Std(g.Where(x => x.MeanOfaAccuracy is not null).Select(x => x.MeanOfaAccuracy!.Value)),
                max_ofa_top1 = g.Max(x => x.MaxOfaAccuracy), mean_predicted_z = g.Average(x => x.MeanPredictedZ), seconds = g.Average(x => x.Seconds),
                valid_samples = g.Sum(x => (int)Math.Round(x.Validity * x.Generated)),
                invalid_reasons = g.SelectMany(x => x.InvalidReasons).GroupBy(c => c.Reason)
                    .Select(c => new ReasonCount(c.Key, c.Sum(v => v.Count))).OrderByDescending(c => c.Count).ToArray(),
            }).ToArray();
            if (ctx.Json(r))
            {
                ctx.WriteJson(new { space = "mbv3", count = n, seeds = nSeeds, steps = r.GetValue(steps), summary, runs = stats });
                return 0;
            }
            var t = new Table().AddColumns("w", "validity", "uniqueness", "mean OFA top-1 (± std over seeds)", "max OFA top-1", "predicted z", "s / batch");
            foreach (var x in summary)
                t.AddRow(F(x.scale, "G3"), F(100 * x.validity) + " %", F(100 * x.uniqueness) + " %",
                    x.mean_ofa_top1 is { } m ? $"{F(m)} ± {F(x.mean_ofa_top1_std)} % ({x.valid_samples} valid)" : "no valid sample",
                    x.max_ofa_top1 is { } mx ? F(mx) + " %" : "-", x.mean_predicted_z is { } z ? F(z) : "-", F(x.seconds, "F1"));
            ctx.Console.MarkupLine($"MBv3, {n} samples × {nSeeds} seeds per scale, {r.GetValue(steps)} PC steps; OFA top-1 of the valid samples at r=224:");
            ctx.Console.Write(t);
            foreach (var x in summary.Where(x => x.invalid_reasons.Length > 0))
                ctx.Console.MarkupLine($"w {F(x.scale, "G3")}, invalid samples by first broken rule: " +
                    Markup.Escape(string.Join("; ", x.invalid_reasons.Select(c => $"{c.Count} × {c.Reason}"))));
            return 0;
        });
        return cmd;
    }

    private static double Std(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }
}
