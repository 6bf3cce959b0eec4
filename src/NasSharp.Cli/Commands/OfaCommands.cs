using System.CommandLine;
using NasSharp.Benchmarks;
using NasSharp.Spaces.Mbv3;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas ofa predict|check|random`: the once-for-all MobileNetV3 accuracy predictor and note10 latency table.</summary>
public static class OfaCommands
{
    /// <summary>The OFA tutorial's note10 search result (81.71 % predicted, 24.73 ms).</summary>
    public const string TutorialArch = "ks=[5,3,0,0,5,3,0,0,7,7,3,0,5,5,7,3,3,3,5,0] e=[3,3,0,0,4,4,0,0,6,3,4,0,4,4,4,3,6,6,6,0] d=[2,2,3,4,3] r=192";

    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("ofa", "Once-for-all MobileNetV3: predicted ImageNet top-1 and note10 latency of sub-networks (reads ofa/ from the data directory).");
        cmd.Subcommands.Add(Predict(ctx));
        cmd.Subcommands.Add(Check(ctx));
        cmd.Subcommands.Add(Random(ctx));
        return cmd;
    }

    private static Command Predict(CliContext ctx)
    {
        var arch = new Option<string>("--arch")
        {
            Description = "Sub-network as 'ks=[20 values] e=[20 values] d=[5 values] r=224' (OFA dict form and DiffusionNAG d-k-e strings also read).",
            DefaultValueFactory = _ => TutorialArch,
        };
        var cmd = new Command("predict", "Predicted ImageNet top-1 (%) and note10 latency (ms) of one sub-network.") { arch };
        cmd.SetAction(r =>
        {
            var dir = ctx.DataDir(r);
            var cfg = Mbv3Space.ParseConfig(r.GetValue(arch)!);
            double acc = 100 * OfaAccuracyPredictor.Load(dir).Predict(cfg);
            double ms = OfaLatencyTable.Load(dir).LatencyMs(cfg);
            var result = new { arch = cfg.ToString(), predicted_top1 = acc, latency_note10_ms = ms, diffusion_string = Mbv3DiffusionEncoding.ToDiffusionString(cfg) };
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            ctx.Console.MarkupLine($"[bold]{Markup.Escape(result.arch)}[/]");
            ctx.Console.MarkupLine($"predicted top-1: {acc:F2} %   note10 latency: {ms:F2} ms");
            return 0;
        });
        return cmd;
    }

    private static Command Check(CliContext ctx)
    {
        var cmd = new Command("check", "Recompute the reference examples stored with the predictor and compare.");
        cmd.SetAction(r =>
        {
            var dir = ctx.DataDir(r);
            var p = OfaAccuracyPredictor.Load(dir);
            var lut = OfaLatencyTable.Load(dir);
            var rows = p.Examples.Select(e => new
            {
                name = e.Name,
                predicted = p.Predict(e.Config),
                reference_float64 = e.Float64,
                abs_diff = Math.Abs(p.Predict(e.Config) - e.Float64),
                latency_note10_ms = lut.LatencyMs(e.Config),
            }).ToList();
            if (ctx.Json(r)) { ctx.WriteJson(new { examples = rows }); return 0; }
            var table = new Table().AddColumns("example", "predicted", "reference (float64)", "|diff|", "note10 ms");
            foreach (var x in rows)
                table.AddRow(Markup.Escape(x.name), x.predicted.ToString("F8"), x.reference_float64.ToString("F8"), x.abs_diff.ToString("E1"), x.latency_note10_ms.ToString("F4"));
            ctx.Console.Write(table);
            return rows.All(x => x.abs_diff < 1e-9) ? 0 : 1;
        });
        return cmd;
    }

    private static Command Random(CliContext ctx)
    {
        var n = new Option<int>("-n", "--count") { Description = "How many random sub-networks to score.", DefaultValueFactory = _ => 1000 };
        var maxLatency = new Option<double?>("--max-latency") { Description = "Only count sub-networks at most this many ms on the note10." };
        var seed = CommonOptions.Seed();
        var cmd = new Command("random", "Random search with the OFA predictor as the objective: the best of n sampled sub-networks (OFA's sampler).") { n, maxLatency, seed };
        cmd.SetAction(r =>
        {
            int count = r.GetValue(n);
            if (count < 1) throw new NasInputException($"-n must be at least 1, got {count}.");
            var limit = r.GetValue(maxLatency);
            if (limit is <= 0) throw new NasInputException($"--max-latency must be positive, got {limit}.");
            var dir = ctx.DataDir(r);
            var p = OfaAccuracyPredictor.Load(dir);
            var lut = OfaLatencyTable.Load(dir);
            var rng = new System.Random(r.GetValue(seed));
            var best = ctx.WithProgress(r, "sampling", progress =>
            {
                (Mbv3Config Cfg, double Acc, double Ms)? top = null;
                int feasible = 0;
                for (int i = 0; i < count; i++)
                {
                    var cfg = Mbv3Space.SampleConfig(rng);
                    double ms = lut.LatencyMs(cfg);
                    if (i % 256 == 0) progress.Report(new ProgressInfo(i, count));
                    if (limit is { } l && ms > l) continue;
                    feasible++;
                    double acc = 100 * p.Predict(cfg);
                    if (top is null || acc > top.Value.Acc) top = (cfg, acc, ms);
                }
                return (top, feasible);
            });
            if (best.top is null) throw new NasInputException($"None of the {count} samples meets --max-latency {limit} ms; raise the limit or -n.");
            var (cfgBest, accBest, msBest) = best.top.Value;
            var result = new { seed = r.GetValue(seed), count, feasible = best.feasible, max_latency_ms = limit, best_arch = cfgBest.ToString(), predicted_top1 = accBest, latency_note10_ms = msBest };
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            ctx.Console.MarkupLine($"best of {best.feasible} feasible / {count} samples (seed {result.seed}): predicted top-1 {accBest:F2} %, note10 {msBest:F2} ms");
            ctx.Console.MarkupLine(Markup.Escape(result.best_arch));
            return 0;
        });
        return cmd;
    }
}
