using System.CommandLine;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Search;
using NasSharp.Spaces;
using NasSharp.TgNas;
using NasSharp.TgNas.Graphs;
using NasSharp.TgNas.Model;
using NasSharp.TgNas.Search;
using NasSharp.TgNas.Text;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas tgnas train|eval|score|search`: the TG-NAS text+graph predictor and its zero-shot searches.</summary>
public static class TgNasCommands
{
    public static Command Create(CliContext ctx)
    {
        RegisterProcedures();
        var cmd = new Command("tgnas", "TG-NAS: a GCN over operator-description embeddings (MiniLM), trained once on NB101, scoring any space zero-shot.");
        cmd.Subcommands.Add(Train(ctx));
        cmd.Subcommands.Add(Eval(ctx));
        cmd.Subcommands.Add(Score(ctx));
        cmd.Subcommands.Add(SearchCommand(ctx));
        return cmd;
    }

    /// <summary>Makes tgnas-prune and tgnas-evolve visible to `nas search --strategy` (idempotent).</summary>
    public static void RegisterProcedures()
    {
        SearchProcedures.Register(new TgNasPruneSearch());
        SearchProcedures.Register(new TgNasEvolutionSearch());
    }

    private static Option<string?> WeightsOption() => new("--weights")
    {
        Description = $"TG-NAS weights file (default: the shipped {TgNasPredictor.DefaultFileName} next to the app).",
    };

    private static Option<string[]> OpOption() => new("--op")
    {
        Description = "Describe an operator in your own words: NAME=DESCRIPTION (repeatable); overrides the space's description or adds a new op.",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    private static TgNasScorer Scorer(ParseResult r, Option<string?> weights, Option<string[]> ops, ISearchSpace space, DartsGraphMode dartsMode = DartsGraphMode.Both, GraphMode? graphMode = null) =>
        new(TgNasPredictor.Load(r.GetValue(weights) ?? TgNasPredictor.DefaultPath), space, OperatorDescriptions.ParseOverrides(r.GetValue(ops) ?? []), dartsMode: dartsMode, graphMode: graphMode);

    private static Option<DartsGraphMode> DartsGraphOption() => new("--darts-graph")
    {
        Description = "DARTS only: normal (the released code's normal-cell graph), both (normal + reduction cell as one graph; ours) or mean (mean score of the two cells; ours).",
        DefaultValueFactory = _ => DartsGraphMode.Both,
    };

    private static string F(double v, string format = "F4") => v.ToString(format, CultureInfo.InvariantCulture);

    private static Command Train(CliContext ctx)
    {
        var trainSpace = new Option<string>("--train-space") { Description = "Space whose accuracy table trains the GCN (nb101; never the evaluation space).", DefaultValueFactory = _ => "nb101" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per network.", DefaultValueFactory = _ => 100 };
        var seed = CommonOptions.Seed();
        var output = CommonOptions.OutputFile("--out", "Where to write the weights file.", required: true);
        var members = new Option<int>("--members") { Description = "Ensemble size (networks with different seeds; scores are averaged).", DefaultValueFactory = _ => 1 };
        var rank = new Option<double>("--rank-weight") { Description = "Weight of the pairwise ranking loss added to MSE (0 = MSE only).", DefaultValueFactory = _ => 0 };
        var layers = new Option<int>("--layers") { Description = "GCN depth.", DefaultValueFactory = _ => 4 };
        var hidden = new Option<int>("--hidden") { Description = "GCN width.", DefaultValueFactory = _ => 64 };
        var aggregation = new Option<Aggregation>("--aggregation") { Description = "Neighbour aggregation: sum (released code) or mean (row-normalised).", DefaultValueFactory = _ => Aggregation.Sum };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 128 };
        var lr = CommonOptions.Number("--lr", "AdamW learning rate.", 1e-3, min: 0, exclusive: true);
        var holdout = new Option<double>("--holdout") { Description = "Fraction of the training table held out to pick the best epoch (Kendall τ).", DefaultValueFactory = _ => 0.1 };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N rows of the table (quick experiments)." };
        var threads = new Option<int>("--threads") { Description = "Torch threads.", DefaultValueFactory = _ => 2 };
        var workers = new Option<int>("--workers") { Description = "Ensemble members trained at the same time (result is the same for any value).", DefaultValueFactory = _ => 1 };
        var noNorm = new Option<bool>("--raw-targets") { Description = "Train on raw accuracies instead of z-scored ones." };
        var cmd = new Command("train", "Train the TG-NAS GCN on a space's accuracy table (NB101 from the data directory) and save the weights.")
            { trainSpace, epochs, seed, output, members, rank, layers, hidden, aggregation, batch, lr, holdout, limit, threads, workers, noNorm };
        cmd.SetAction(r =>
        {
            TorchSharp.torch.set_num_threads(Math.Clamp(r.GetValue(threads), 1, Environment.ProcessorCount));
            var data = TgNasTrainingData.Load(r.GetValue(trainSpace)!, ctx.DataDir(r), r.GetValue(limit));
            var builder = new NasSharp.TgNas.Graphs.TgNasGraphBuilder(data.Space);
            var table = new NasSharp.TgNas.Graphs.OperatorTable(builder.Descriptions.Values, EmbeddingCache.Shared);
            var graphs = data.Architectures.Select(builder.Build).ToArray();
            var options = new TgNasTrainingOptions
            {
                Epochs = r.GetValue(epochs), Seed = r.GetValue(seed), Members = r.GetValue(members), RankWeight = r.GetValue(rank),
                BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr), HoldOut = r.GetValue(holdout), NormalizeTargets = !r.GetValue(noNorm), Workers = r.GetValue(workers),
                Model = new TgNasConfig { Layers = r.GetValue(layers), Hidden = r.GetValue(hidden), Aggregation = r.GetValue(aggregation) },
            };
            var info = new Dictionary<string, string>
            {
                ["command"] = "nas tgnas " + string.Join(' ', Environment.GetCommandLineArgs().Skip(2)),
                ["train_space"] = data.Space.Name, ["label"] = data.Label, ["rows"] = data.Targets.Count.ToString(CultureInfo.InvariantCulture),
                ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            };
            var (predictor, report) = ctx.WithProgress(r, "training", p => TgNasTrainer.Train(graphs, data.Targets, table, options, info, p));
            var path = r.GetValue(output)!;
            predictor.Save(path);
            var result = new Dictionary<string, object?>
            {
                ["out"] = Path.GetFullPath(path), ["train_space"] = data.Space.Name, ["label"] = data.Label,
                ["train_rows"] = report.TrainRows, ["holdout_rows"] = report.HoldOutRows,
                ["holdout_kendall"] = report.HoldOutKendall, ["holdout_spearman"] = report.HoldOutSpearman,
                ["member_holdout_kendall"] = report.MemberKendall, ["best_epochs"] = report.BestEpochs,
                ["seconds"] = report.Wall.TotalSeconds, ["seed"] = options.Seed,
            };
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            ctx.Console.MarkupLine($"Trained {options.Members} network(s) on {report.TrainRows} {Markup.Escape(data.Label)} rows in {report.Wall.TotalSeconds:F0} s; " +
                $"held-out ({report.HoldOutRows} rows) Kendall τ {F(report.HoldOutKendall)}, Spearman ρ {F(report.HoldOutSpearman)}; best epochs {string.Join(",", report.BestEpochs)}.");
            ctx.Console.MarkupLine($"Saved {Markup.Escape(Path.GetFullPath(path))}");
            return 0;
        });
        return cmd;
    }

    private static Command Eval(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var weights = WeightsOption();
        var ops = OpOption();
        var metric = new Option<string>("--metric") { Description = "Ground-truth metric of the table.", DefaultValueFactory = _ => BenchMetric.TestAccuracy };
        var plot = CommonOptions.OutputFile("--plot", "Write a score-vs-accuracy scatter plot (PNG) here.");
        var spaceFile = CommonOptions.SpaceFile();
        var graph = new Option<GraphMode?>("--graph") { Description = "NB201-style spaces: DataFlow (default: zero ops removed, skips as edges) or Paper (the released code's graph: every edge op a node)." };
        var cmd = new Command("eval", "Score every architecture of an enumerable space with TG-NAS and report Kendall τ, Spearman ρ and top-k precision against the table (darts: the 725 zc_nb301 genotypes, every graph mode, next to the classic proxies).")
            { space, spaceFile, dataset, weights, ops, metric, plot, graph };
        cmd.SetAction(r =>
        {
            var s = CommonOptions.ResolveSpace(r, space, spaceFile);
            if (s is NasSharp.Spaces.Darts.DartsSpace) return EvalDarts(ctx, r, weights, ops);
            if (s is NasSharp.Spaces.UserDefined.UserSpace)
                throw new NasInputException($"Space '{s.Name}' (--space-file) has no accuracy table to evaluate against; score it with 'nas tgnas score' or search it with 'nas tgnas search'.");
            var scorer = Scorer(r, weights, ops, s, graphMode: r.GetValue(graph));
            var ev = ctx.WithProgress(r, "scoring", p => TgNasEvaluation.Evaluate(scorer, ctx.DataDir(r), r.GetValue(dataset)!, r.GetValue(metric)!, p));
            // Written after the results are printed, so a failing plot write keeps them.
            int WritePlot() => r.GetValue(plot) is { } png ? ctx.WriteLate("--plot", png, () => SavePlot(png, ev)) : 0;
            var result = new Dictionary<string, object?>
            {
                ["space"] = ev.Space, ["dataset"] = ev.Dataset, ["metric"] = ev.Metric, ["count"] = ev.Count,
                ["kendall_tau"] = ev.Kendall, ["spearman_rho"] = ev.Spearman, ["top_k_precision"] = ev.TopKPrecision,
                ["top_predicted_accuracy"] = ev.TopPredictedAccuracy, ["best_accuracy"] = ev.BestAccuracy,
                ["scoring_seconds"] = ev.ScoringSeconds, ["weights"] = r.GetValue(weights) ?? TgNasPredictor.DefaultPath,
                ["graph"] = scorer.Builder.GraphMode.ToString(),
                ["plot"] = r.GetValue(plot),
            };
            if (ctx.Json(r)) { ctx.WriteJson(result); return WritePlot(); }
            var t = new Table().AddColumns("metric", "value");
            t.AddRow("architectures", ev.Count.ToString(CultureInfo.InvariantCulture));
            t.AddRow($"Kendall τ vs {ev.Dataset} {ev.Metric}", F(ev.Kendall));
            t.AddRow("Spearman ρ", F(ev.Spearman));
            foreach (var (k, v) in ev.TopKPrecision) t.AddRow($"{k} precision", F(v, "F3"));
            t.AddRow("accuracy of the top-scored arch", F(ev.TopPredictedAccuracy, "F2"));
            t.AddRow("best accuracy in the table", F(ev.BestAccuracy, "F2"));
            t.AddRow("scoring time (s)", F(ev.ScoringSeconds, "F3"));
            ctx.Console.Write(t);
            return WritePlot();
        });
        return cmd;
    }

    /// <summary>DARTS: TG-NAS in every graph mode on zc_nb301 (evaluation only) next to the file's classic proxies.</summary>
    private static int EvalDarts(CliContext ctx, ParseResult r, Option<string?> weights, Option<string[]> ops)
    {
        var predictor = TgNasPredictor.Load(r.GetValue(weights) ?? TgNasPredictor.DefaultPath);
        var overrides = OperatorDescriptions.ParseOverrides(r.GetValue(ops) ?? []);
        var ev = ctx.WithProgress(r, "scoring zc_nb301", p => TgNasDartsEvaluation.Evaluate(predictor, ctx.DataDir(r), overrides, progress: p));
        if (ctx.Json(r))
        {
            ctx.WriteJson(new Dictionary<string, object?>
            {
                ["space"] = "darts", ["table"] = NasSharp.Spaces.Darts.DartsZcTable.RelativePath, ["target"] = "nb301 surrogate val_accuracy", ["count"] = ev.Count,
                ["tgnas"] = ev.Modes.Select(m => new Dictionary<string, object?>
                {
                    ["darts_graph"] = m.Mode.ToString().ToLowerInvariant(), ["kendall_tau"] = m.Kendall, ["spearman_rho"] = m.Spearman,
                    ["top_predicted_accuracy"] = m.TopPredictedAccuracy,
                }).ToList(),
                ["proxies"] = ev.Proxies.Select(p => new Dictionary<string, object?> { ["proxy"] = p.Proxy, ["kendall_tau"] = p.Kendall, ["spearman_rho"] = p.Spearman }).ToList(),
                ["best_accuracy"] = ev.BestAccuracy, ["scoring_seconds"] = ev.ScoringSeconds,
                ["weights"] = r.GetValue(weights) ?? TgNasPredictor.DefaultPath,
            });
            return 0;
        }
        var t = new Table().AddColumns("scorer", "Kendall τ", "Spearman ρ");
        foreach (var m in ev.Modes)
            t.AddRow($"TG-NAS, {m.Mode.ToString().ToLowerInvariant()}" + (m.Mode == DartsGraphMode.Normal ? " (released code)" : " (ours)"), F(m.Kendall), F(m.Spearman));
        foreach (var p in ev.Proxies) t.AddRow(Markup.Escape(p.Proxy), F(p.Kendall), F(p.Spearman));
        ctx.Console.MarkupLine($"{ev.Count} zc_nb301 genotypes vs the NB301 surrogate accuracy (evaluation only); TG-NAS scoring {F(ev.ScoringSeconds, "F2")} s for all modes.");
        ctx.Console.Write(t);
        return 0;
    }

    private static void SavePlot(string path, TgNasEvaluationResult ev)
    {
        var plt = new ScottPlot.Plot();
        var sc = plt.Add.ScatterPoints(ev.Scores, ev.Truth);
        sc.MarkerSize = 2;
        plt.Title($"TG-NAS on {ev.Space} {ev.Dataset}: Kendall {F(ev.Kendall, "F3")}, Spearman {F(ev.Spearman, "F3")}");
        plt.XLabel("TG-NAS score (predicted NB101 accuracy, %)");
        plt.YLabel($"{ev.Metric} (%)");
        plt.SavePng(path, 900, 700);
    }

    private static Command Score(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var arch = new Option<string?>("--arch") { Description = "One architecture in the space's string form." };
        var file = new Option<string?>("--arch-file") { Description = "A file with one architecture per line." };
        var weights = WeightsOption();
        var ops = OpOption();
        var spaceFile = CommonOptions.SpaceFile();
        var dartsGraph = DartsGraphOption();
        var cmd = new Command("score", "TG-NAS score of architectures (predicted NB101-equivalent accuracy, %; larger is better), one per architecture in order.")
            { space, spaceFile, arch, file, weights, ops, dartsGraph };
        cmd.SetAction(r =>
        {
            var s = CommonOptions.ResolveSpace(r, space, spaceFile);
            string? a = r.GetValue(arch), f = r.GetValue(file);
            if ((a is null) == (f is null)) throw new NasInputException("Give exactly one of --arch STRING or --arch-file FILE.");
            string[] lines;
            if (a is not null) lines = [a];
            else
            {
                if (!File.Exists(f)) throw new NasInputException($"Architecture file '{f}' not found.");
                lines = File.ReadAllLines(f!).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
                if (lines.Length == 0) throw new NasInputException($"Architecture file '{f}' has no architectures (one per line).");
            }
            var archs = lines.Select((l, i) =>
            {
                try { return s.Parse(l); }
                catch (NasInputException e) when (f is not null) { throw new NasInputException($"{f} line {i + 1}: {e.Message}"); }
            }).ToArray();
            var scores = Scorer(r, weights, ops, s, r.GetValue(dartsGraph)).Score(archs);
            var rows = archs.Select((x, i) => new Dictionary<string, object?> { ["arch"] = s.Format(x), ["score"] = scores[i] }).ToList();
            if (ctx.Json(r)) { ctx.WriteJson(new Dictionary<string, object?> { ["space"] = s.Name, ["scores"] = rows }); return 0; }
            foreach (var (x, sc) in archs.Zip(scores)) ctx.Out.WriteLine($"{F(sc)}\t{s.Format(x)}");
            return 0;
        });
        return cmd;
    }

    private static Command SearchCommand(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var seed = CommonOptions.Seed();
        var strategy = new Option<string>("--strategy") { Description = "prune (TE-NAS-style op pruning of the supernet) or evolve (regularised evolution).", DefaultValueFactory = _ => "prune" };
        var budget = new Option<int>("--budget") { Description = "Proxy evaluations for evolve (prune needs none: it stops when one op per edge is left).", DefaultValueFactory = _ => 1000 };
        var weights = WeightsOption();
        var spaceFile = CommonOptions.SpaceFile();
        var ops = OpOption();
        var dartsGraph = DartsGraphOption();
        var cmd = new Command("search", "Zero-shot search with TG-NAS as the only signal; prints the found architecture and, when the table is present, its true accuracy (darts: its parameter count).")
            { space, spaceFile, dataset, seed, strategy, budget, weights, ops, dartsGraph };
        cmd.SetAction(r =>
        {
            var name = r.GetValue(strategy)!.ToLowerInvariant() switch
            {
                "prune" or "tgnas-prune" => "tgnas-prune",
                "evolve" or "tgnas-evolve" or "tgnas-zero-shot" => "tgnas-zero-shot",
                var other => throw new NasInputException($"Unknown TG-NAS search strategy '{other}'; use prune or evolve."),
            };
            var s = CommonOptions.ResolveSpace(r, space, spaceFile);
            var options = new Dictionary<string, string>();
            if (r.GetValue(weights) is { } w) options["weights"] = w;
            foreach (var (op, text) in OperatorDescriptions.ParseOverrides(r.GetValue(ops) ?? [])) options["op:" + op] = text;
            if (s is NasSharp.Spaces.Darts.DartsSpace) options["darts-graph"] = r.GetValue(dartsGraph).ToString().ToLowerInvariant();
            var request = new SearchRequest(s, r.GetValue(dataset)!, r.GetValue(seed), r.GetValue(budget), ctx.DataDir(r)) { Options = options };
            // The zero-shot procedures themselves (in `nas search`, "tgnas-evolve" is the ask/tell TG-NAS-guided evolution).
            ISearchProcedure procedure = name == "tgnas-prune" ? new TgNasPruneSearch() : new TgNasEvolutionSearch();
            var outcome = procedure.Run(request);
            var result = TgNasSearchReport.Describe(outcome, request);
            if (s is NasSharp.Spaces.Darts.DartsSpace)
            {
                // No table holds accuracies of arbitrary DARTS genotypes; report what can be measured: the size of our network.
                using var net = NasSharp.Torch.Networks.DartsNetwork.Create(outcome.Best);
                result["darts_graph"] = options["darts-graph"];
                result["parameters"] = net.MainParameterCount();
                result["parameters_setting"] = "DARTS CIFAR network, 36 channels, 20 cells, no auxiliary head";
            }
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            ctx.Console.MarkupLine($"[bold]{name}[/] (seed {request.Seed}) found {Markup.Escape(s.Format(outcome.Best))}");
            ctx.Console.MarkupLine($"  TG-NAS score {F(outcome.BestScore)}, {outcome.Evaluations} proxy evaluations, {outcome.Wall.TotalSeconds:F2} s");
            if (result.GetValueOrDefault("parameters") is long p)
                ctx.Console.MarkupLine($"  {p:N0} parameters ({result["parameters_setting"]}); no table gives the accuracy of an arbitrary DARTS genotype");
            else ctx.Console.MarkupLine(result["test_accuracy"] is double acc
                ? $"  true {result["dataset"]} test accuracy {F(acc, "F2")} % (table optimum {F((double)result["best_test_accuracy"]!, "F2")} %)"
                : s is NasSharp.Spaces.UserDefined.UserSpace
                    ? "  true accuracy: none (a user-defined space has no benchmark table; train it with nas train --space-file)"
                    : "  true accuracy: not available (no benchmark table in the data directory)");
            return 0;
        });
        return cmd;
    }
}
