using System.CommandLine;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Proxies;
using NasSharp.Proxies.Evaluation;
using NasSharp.Proxies.Harness;
using NasSharp.Spaces;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas proxy list|score|eval|validate`: zero-cost proxies on benchmark architectures (docs/proxies.md).</summary>
public static class ProxyCommands
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("proxy", "Zero-cost proxies: score architectures, evaluate rank correlation, validate against NAS-Bench-Suite-Zero.");
        cmd.Subcommands.Add(List(ctx));
        cmd.Subcommands.Add(Score(ctx));
        cmd.Subcommands.Add(Eval(ctx));
        cmd.Subcommands.Add(Validate(ctx));
        return cmd;
    }

    private static Option<string> ProxiesOption(string defaultValue) => new("--proxies")
    {
        Description = $"Comma-separated proxy names or 'all' ({string.Join(", ", ProxyRegistry.Names)}).",
        DefaultValueFactory = _ => defaultValue,
    };

    private static Option<int> BatchOption(int defaultValue) => new("--batch")
    {
        Description = "Images in the proxy batch (NAS-Bench-Suite-Zero used 32, the Samsung code 64).",
        DefaultValueFactory = _ => defaultValue,
    };

    private static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "torch intra-op threads (0 = torch default).",
        DefaultValueFactory = _ => 0,
    };

    private static void SetThreads(int threads)
    {
        if (threads < 0) throw new NasInputException($"--threads must be 0 or positive, got {threads}.");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
    }

    private static ProxyContext Context(CliContext ctx, ParseResult r, string dataset, int seed, int batch) => new()
    {
        Seed = seed,
        Dataset = ProxyData.Normalize(dataset),
        BatchSize = batch,
        DataDirectory = TryDataDir(ctx, r),
    };

    private static string? TryDataDir(CliContext ctx, ParseResult r)
    {
        var dir = ctx.DataDir(r);
        return Directory.Exists(dir) ? dir : null;
    }

    private static Command List(CliContext ctx)
    {
        var cmd = new Command("list", "The available proxies and what each computes (all are larger-is-better).");
        cmd.SetAction(r =>
        {
            var rows = ProxyRegistry.All.Select(p => new { name = p.Name, description = p.Description }).ToList();
            if (ctx.Json(r)) { ctx.WriteJson(new { proxies = rows }); return 0; }
            var t = new Table().AddColumns("proxy", "computes");
            foreach (var p in rows) t.AddRow(p.name, Markup.Escape(p.description));
            ctx.Console.Write(t);
            return 0;
        });
        return cmd;
    }

    private static Command Score(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var arch = new Option<string>("--arch") { Description = "Architecture in the space's string form.", Required = true };
        var proxies = ProxiesOption("all");
        var dataset = CommonOptions.Dataset();
        var seed = CommonOptions.Seed();
        var batch = BatchOption(64);
        var threads = ThreadsOption();
        var cmd = new Command("score", "Score one architecture with one or more proxies (one shared network, batch and passes).")
            { space, arch, proxies, dataset, seed, batch, threads };
        cmd.SetAction(r =>
        {
            SetThreads(r.GetValue(threads));
            var list = ProxyRegistry.Parse(r.GetValue(proxies)!);
            var s = SearchSpaces.Get(r.GetValue(space)!);
            var a = s.Parse(r.GetValue(arch)!);
            var context = Context(ctx, r, r.GetValue(dataset)!, r.GetValue(seed), r.GetValue(batch));
            using var data = ProxyData.Create(context.Dataset, context.BatchSize, context.Seed, context.DataDirectory);
            var scores = ProxyRunner.Score(a, list, context, data);
            if (ctx.Json(r))
            {
                ctx.WriteJson(new
                {
                    space = s.Name, arch = s.Format(a), dataset = context.Dataset, seed = context.Seed, batch = context.BatchSize,
                    batch_source = data.Source,
                    scores = scores.Select(x => new { proxy = x.Proxy, value = x.Value, seconds = x.Seconds, warnings = x.Warnings }),
                });
                return 0;
            }
            ctx.Console.MarkupLine($"[bold]{Markup.Escape(s.Format(a))}[/] ({context.Dataset}, seed {context.Seed}, batch: {Markup.Escape(data.Source)})");
            var t = new Table().AddColumns("proxy", "score", "seconds", "warnings");
            foreach (var x in scores) t.AddRow(x.Proxy, F(x.Value), x.Seconds.ToString("0.000", CultureInfo.InvariantCulture), Markup.Escape(string.Join("; ", x.Warnings)));
            ctx.Console.Write(t);
            return 0;
        });
        return cmd;
    }

    private static Command Eval(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var proxies = ProxiesOption("all");
        var sample = new Option<int>("--sample") { Description = "Architectures to sample from the benchmark table.", DefaultValueFactory = _ => 50 };
        var seed = CommonOptions.Seed();
        var batch = BatchOption(64);
        var threads = ThreadsOption();
        var plot = CommonOptions.OutputFile("--plot", "Write scatter plots (score vs accuracy), one PNG per proxy: PATH with the proxy name before the extension.");
        var cmd = new Command("eval", "Score N sampled architectures and report each proxy's Spearman/Kendall against the table's test accuracy.")
            { space, dataset, proxies, sample, seed, batch, threads, plot };
        cmd.SetAction(r =>
        {
            SetThreads(r.GetValue(threads));
            var list = ProxyRegistry.Parse(r.GetValue(proxies)!);
            int n = r.GetValue(sample);
            if (n < 3) throw new NasInputException($"--sample must be at least 3 (a rank correlation needs 3 points), got {n}.");
            var bench = BenchmarkTables.Load(r.GetValue(space)!, ctx.DataDir(r));
            var d = BenchDataset.Normalize(r.GetValue(dataset)!, bench.Datasets);
            int s = r.GetValue(seed);
            var rng = new Random(s);
            var rows = Enumerable.Range(0, bench.Count).Where(i => bench.Query(i, d, BenchMetric.TestAccuracy) is not null)
                .OrderBy(_ => rng.Next()).Take(n).ToList();
            var archs = rows.Select(bench.ArchitectureAt).ToList();
            var acc = rows.Select(i => bench.Query(i, d, BenchMetric.TestAccuracy)!.Value).ToArray();
            var context = Context(ctx, r, d, s, r.GetValue(batch));
            var scores = ctx.WithProgress(r, $"scoring {archs.Count} architectures", p => ArchitectureScores.Compute(archs, list, context, p));
            var result = list.Select(p =>
            {
                var c = ProxyCorrelation.Of(scores.Values[p.Name], acc);
                return new { proxy = p.Name, spearman = c.Spearman, kendall = c.Kendall, n = c.N,
                             seconds_per_arch = scores.SecondsPerArchitecture[p.Name], fallbacks = scores.FallbackCounts[p.Name] };
            }).ToList();
            // Written after the results are printed, so a failing plot write keeps them.
            int WritePlots() => r.GetValue(plot) is { } png ? ctx.WriteLate("--plot", png, () => SavePlots(png, bench.Name, d, list.Select(p => p.Name), scores, acc)) : 0;
            if (ctx.Json(r))
            {
                ctx.WriteJson(new { space = bench.Name, dataset = d, sample = archs.Count, seed = s, batch = context.BatchSize, batch_source = scores.BatchSource,
                                    seconds_per_arch_all = scores.TotalSecondsPerArchitecture, proxies = result });
                return WritePlots();
            }
            ctx.Console.MarkupLine($"{archs.Count} {bench.Name} architectures (seed {s}) vs {d} test accuracy; batch: {Markup.Escape(scores.BatchSource)}");
            var t = new Table().AddColumns("proxy", "Spearman", "Kendall", "s/arch", "fallbacks");
            foreach (var x in result) t.AddRow(x.proxy, F(x.spearman), F(x.kendall), x.seconds_per_arch.ToString("0.000", CultureInfo.InvariantCulture), x.fallbacks.ToString());
            ctx.Console.Write(t);
            ctx.Console.MarkupLine($"all proxies: {scores.TotalSecondsPerArchitecture:0.00} s per architecture");
            return WritePlots();
        });
        return cmd;
    }

    private static Command Validate(CliContext ctx)
    {
        var dataset = CommonOptions.Dataset();
        var proxies = ProxiesOption("all");
        var limit = new Option<int?>("--limit") { Description = "Score only the first N of the 725 reference architectures (file order)." };
        var seed = CommonOptions.Seed();
        var batch = BatchOption(32);
        var threads = ThreadsOption();
        var part = new Option<string>("--part") { Description = "Score only rows i with i mod M = K, given as K/M (to split the work over processes).", DefaultValueFactory = _ => "0/1" };
        var scoresOut = CommonOptions.OutputFile("--scores-out", "Write our scores as JSON lines to this file, one per architecture as it finishes (a first line records the configuration).");
        var resume = new Option<bool>("--resume") { Description = "With --scores-out: skip the rows that file already holds (continue an interrupted run)." };
        var fromScores = new Option<string[]>("--from-scores") { Description = "Compute the table from saved --scores-out files (no scoring), on the longest covered prefix of rows.", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("validate", "Compare our NB201 proxy scores with the NAS-Bench-Suite-Zero reference (<data-dir>/zc/zc_nb201.csv.gz).")
            { dataset, proxies, limit, seed, batch, threads, part, scoresOut, resume, fromScores };
        cmd.SetAction((r, cancel) => Task.FromResult(Run(r, cancel)));
        int Run(ParseResult r, CancellationToken cancel)
        {
            SetThreads(r.GetValue(threads));
            var list = ProxyRegistry.Parse(r.GetValue(proxies)!);
            if (r.GetValue(limit) is < 3) throw new NasInputException("--limit must be at least 3.");
            var d = ProxyData.Normalize(r.GetValue(dataset)!);
            var reference = ZcReference.Load(ctx.DataDir(r), d);
            var context = Context(ctx, r, d, r.GetValue(seed), r.GetValue(batch));
            // What every row of a scores file depends on: a resumed file or a merge of files must agree on all of it.
            var config = new ScoresConfig(d, context.Seed, context.BatchSize, list.Select(p => p.Name).ToArray());
            IReadOnlyList<ValidationScoreLine> lines;
            if (r.GetValue(fromScores) is { Length: > 0 } files)
            {
                var read = ScoresFile.ReadAll(files, d);
                foreach (var note in read.Notes) ctx.Err.WriteLine($"note: {note}");
                lines = read.Lines;
                if (read.Config is { } stored) context = context with { Seed = stored.Seed, BatchSize = stored.Batch };
            }
            else
            {
                // Validating image-based proxies on synthetic noise would compare nothing meaningful with the reference.
                var needImages = list.Where(p => p.UsesImages).Select(p => p.Name).ToList();
                if (needImages.Count > 0 && !ProxyData.HasRealImages(d, context.DataDirectory))
                    throw new NasInputException($"No {d} images in the data directory, so {string.Join(", ", needImages)} cannot be validated " +
                        $"(they would see synthetic noise). Validate the data-free proxies only: --proxies {string.Join(",", ProxyRegistry.All.Where(p => !p.UsesImages).Select(p => p.Name))}.");
                var pm = r.GetValue(part)!.Split('/');
                if (pm.Length != 2 || !int.TryParse(pm[0], out int k) || !int.TryParse(pm[1], out int m))
                    throw new NasInputException($"--part must be K/M (e.g. 0/2), got '{r.GetValue(part)}'.");
                var outPath = r.GetValue(scoresOut);
                if (r.GetValue(resume) && outPath is null) throw new NasInputException("--resume needs --scores-out (the file to continue).");
                IReadOnlyList<ValidationScoreLine> done = [];
                StreamWriter? writer = null;
                if (outPath is not null)
                {
                    (writer, var content) = ScoresFile.Open(outPath, config, r.GetValue(resume));
                    foreach (var note in content.Notes) ctx.Err.WriteLine($"note: {note}");
                    if (content.Config is null && content.Lines.Count > 0)
                        ctx.Err.WriteLine($"note: {outPath} records no configuration (older version); only its proxies could be checked against this run.");
                    done = content.Lines;
                }
                using var _ = writer;
                int n = Math.Min(r.GetValue(limit) ?? int.MaxValue, reference.Architectures.Count);
                IReadOnlyList<ValidationScoreLine> fresh;
                try
                {
                    fresh = ctx.WithProgress(r, $"scoring reference architectures (part {k}/{m} of {n}, {done.Count} already scored)",
                        p => ProxyValidation.Score(reference, list, context, r.GetValue(limit), k, m, l => writer?.WriteLine(ProxyValidation.ToJsonLine(l)), p,
                                                   cancel, skipRows: done.Select(l => l.Row).ToHashSet()));
                }
                catch (OperationCanceledException e) when (e is not InterruptedRun)
                {
                    // Every finished row is already flushed to the file; the row being scored is simply not there.
                    throw outPath is null
                        ? new InterruptedRun("stopped between rows; nothing was kept (give --scores-out FILE to be able to resume)", resumable: false, e)
                        : new InterruptedRun($"stopped between rows; {outPath} holds every finished row", resumable: true, e);
                }
                lines = [.. done, .. fresh];
                if (m > 1)
                {
                    ctx.Human(r).MarkupLine($"scored part {k}/{m}: {lines.Count} architectures; combine the parts' files with --from-scores");
                    if (ctx.Json(r)) ctx.WriteJson(new { part = $"{k}/{m}", architectures = lines.Count });
                    return 0;
                }
            }
            var rows = ProxyValidation.Compare(reference, list.Select(p => p.Name).ToList(), lines);
            int covered = rows.Max(x => x.N);
            if (ctx.Json(r))
            {
                ctx.WriteJson(new { dataset = d, architectures = covered, seed = context.Seed, batch = context.BatchSize, proxies = rows });
                return 0;
            }
            ctx.Console.MarkupLine($"first {covered} NB201 architectures of NAS-Bench-Suite-Zero ({d}); accuracy = NASLib val_accuracy; seed {context.Seed}, batch {context.BatchSize}");
            var t = new Table().AddColumns("proxy", "ρ ours~ref", "τ ours~ref", "ρ ours~acc", "ρ ref~acc", "τ ours~acc", "τ ref~acc", "fallbacks ours/ref", "s/arch");
            foreach (var x in rows)
                t.AddRow(x.Proxy, F(x.SpearmanVsReference), F(x.KendallVsReference), F(x.OurSpearmanVsAccuracy), F(x.ReferenceSpearmanVsAccuracy),
                         F(x.OurKendallVsAccuracy), F(x.ReferenceKendallVsAccuracy), $"{x.OurFallbacks}/{x.ReferenceFallbacks}",
                         x.SecondsPerArchitecture.ToString("0.000", CultureInfo.InvariantCulture));
            ctx.Console.Write(t);
            return 0;
        }
        return cmd;
    }

    private static void SavePlots(string path, string space, string dataset, IEnumerable<string> proxies, ArchitectureScores scores, double[] acc)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var stem = Path.Combine(dir, Path.GetFileNameWithoutExtension(full));
        foreach (var name in proxies)
        {
            // synflow spans dozens of orders of magnitude: draw NASLib's sign-preserving ln of it.
            var ys = name == "synflow" ? scores.Values[name].Select(ZcReference.NaslibSynflow).ToArray() : scores.Values[name];
            var keep = Enumerable.Range(0, ys.Length).Where(i => ys[i] != TorchProxy.Fallback).ToArray();
            var plt = new ScottPlot.Plot();
            var sc = plt.Add.ScatterPoints(keep.Select(i => ys[i]).ToArray(), keep.Select(i => acc[i]).ToArray());
            sc.MarkerSize = 5;
            var c = ProxyCorrelation.Of(ys, acc);
            plt.Title($"{space} {dataset}: {name} (ρ {F(c.Spearman)}, τ {F(c.Kendall)}, n {ys.Length})");
            plt.XLabel((name == "synflow" ? "ln synflow" : name) + (keep.Length < ys.Length ? $" ({ys.Length - keep.Length} fallback scores not drawn)" : ""));
            plt.YLabel("test accuracy (%)");
            plt.SavePng($"{stem}_{name}.png", 800, 600);
        }
    }

    private static string F(double? v) => v is null ? "—" : double.IsNaN(v.Value) ? "NaN" : v.Value.ToString("G4", CultureInfo.InvariantCulture);
}
