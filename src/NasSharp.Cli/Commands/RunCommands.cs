using System.CommandLine;
using System.Globalization;
using NasSharp.Distributed;
using NasSharp.Distributed.Engine;
using NasSharp.Pipeline;
using NasSharp.Search;
using NasSharp.Search.Running;
using NasSharp.Spaces;
using NasSharp.TgNas;
using NasSharp.TgNas.Search;
using NasSharp.Search.Strategies;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas run`: search (zero-cost or on a cluster) → train the winner with TorchSharp → ONNX export + check → report (docs/run.md).</summary>
public static class RunCommands
{
    public static Command Create(CliContext ctx)
    {
        SearchCommands.RegisterProcedures();
        TgNasCommands.RegisterProcedures();
        DiffusionCommands.RegisterProcedures();
        PipelineEvaluators.Register();
        var space = CommonOptions.Space();
        var strategy = new Option<string>("--strategy") { Description = "Search procedure (as in 'nas search'): tgnas-evolve (here zero-cost: TG-NAS evolution = tgnas-zero-shot), tgnas-prune (zero-cost), random, re, ls, bananas (ask/tell, benchmark or --option evaluator=…), diffusionnag.", DefaultValueFactory = _ => "tgnas-evolve" };
        var data = new Option<string>("--data") { Description = "Dataset the winner is trained on: fashion-mnist or cifar10.", DefaultValueFactory = _ => "fashion-mnist" };
        var dataPath = new Option<string?>("--data-path") { Description = "Directory with the dataset's files (Fashion-MNIST IDX files; for cifar10 a directory holding cifar-10-batches-bin/). Default: <data-dir>/fashion-mnist, else /usr/share/datasets/fashion-mnist." };
        var tableDataset = new Option<string>("--table-dataset") { Description = "Benchmark dataset for the found architecture's table accuracy and the score-vs-accuracy plot.", DefaultValueFactory = _ => "cifar10" };
        var budget = new Option<int?>("--budget") { Description = "Search budget: evaluations (ask/tell, default 100) or proxy queries (tgnas-evolve, default 1000)." };
        var options = SearchCommands.OptionPairs();
        var epochs = new Option<int>("--train-epochs") { Description = "Epochs to train the winner (cosine schedule over all of them).", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 64 };
        var lr = CommonOptions.Number("--lr", "Initial learning rate (cosine-annealed to 0).", 0.1, min: 0, exclusive: true);
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train on only the first N training images (a CPU run in minutes)." };
        var testLimit = new Option<int?>("--test-limit") { Description = "Evaluate on only the first N test images." };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var proxySample = new Option<int>("--proxy-sample") { Description = "For strategies that do not expose their trials (tgnas-*): random architectures scored with the same proxy for the score-vs-accuracy plot.", DefaultValueFactory = _ => 200 };
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--out") { Description = "Run directory: report.md, plots, result.json, model.ckpt, model.onnx and the stage files.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Reuse the finished search/training found in --out and continue an interrupted training from its last epoch (same options required)." };
        var cluster = new Option<string?>("--cluster") { Description = "Run the search's evaluations on a worker cluster (localhost[:SILO[:GATEWAY]] or redis://HOST:PORT; ask/tell strategies; see docs/cluster.md)." };
        var clusterId = new Option<string>("--cluster-id") { Description = "Cluster id (with --cluster).", DefaultValueFactory = _ => "nassharp" };
        var parallel = new Option<int>("--parallel") { Description = "With --cluster: trials in flight; the tell order is deterministic with this window, so the result depends only on the seed and N.", DefaultValueFactory = _ => 2 };
        var trialTimeout = new Option<double>("--trial-timeout-s") { Description = "With --cluster: re-assign an attempt that gave no result within this many seconds.", DefaultValueFactory = _ => 1800 };
        var cmd = new Command("run", "End to end: search the space, train the found network for real with TorchSharp, export it to ONNX (checked in ONNX Runtime) and write a report with plots.")
        {
            space, strategy, data, dataPath, tableDataset, budget, options, epochs, batch, lr, trainLimit, testLimit, threads, proxySample, seed, output, resume,
            cluster, clusterId, parallel, trialTimeout,
        };
        var access = new ClusterSecretOptions(); // with --cluster
        foreach (var o in access.All) cmd.Options.Add(o);
        cmd.SetAction((r, cancel) =>
        {
            var sp = SearchSpaces.Get(r.GetValue(space)!);
            var settings = new RunSettings(sp.Name, r.GetValue(strategy)!, r.GetValue(seed), r.GetValue(output)!, ctx.DataDir(r))
            {
                Data = r.GetValue(data)!, DataPath = r.GetValue(dataPath), TableDataset = r.GetValue(tableDataset)!, Budget = r.GetValue(budget),
                Options = SearchCommands.ParsePairs(r.GetValue(options) ?? []), Epochs = r.GetValue(epochs), BatchSize = r.GetValue(batch),
                LearningRate = r.GetValue(lr), TrainLimit = r.GetValue(trainLimit), TestLimit = r.GetValue(testLimit), Threads = r.GetValue(threads),
                ProxySample = r.GetValue(proxySample), Resume = r.GetValue(resume),
            };
            // Record the budget the search will run as a number, so spelling out the default (--budget 100) resumes
            // a run started without --budget instead of refusing: resume compares effective values.
            bool askTell = r.GetValue(cluster) is not null || ZeroCostFirst(settings.Strategy) is AskTellProcedure;
            settings = settings with { Budget = settings.EffectiveBudget(askTell) };
            if (r.GetValue(cluster) is not null && !StrategyCatalog.All.Any(d => d.Name.Equals(settings.Strategy, StringComparison.OrdinalIgnoreCase)))
                throw new NasInputException($"--cluster runs ask/tell strategies ({string.Join(", ", StrategyCatalog.All.Select(d => d.Name))}); '{settings.Strategy}' scores in one piece in-process.");
            ISearchStage search = r.GetValue(cluster) is { } c
                ? new ClusterSearchStage(new ClusterRunOptions(c, access.Resolve(r))
                {
                    ClusterId = r.GetValue(clusterId)!, Parallelism = r.GetValue(parallel), Order = TellOrder.Deterministic,
                    TrialTimeout = TimeSpan.FromSeconds(r.GetValue(trialTimeout)),
                })
                : new ProcedureSearchStage(ProxyFor, ZeroCostFirst);
            TorchSharp.torch.set_num_threads(settings.Threads); // the search's proxies too, not only the training
            var pipeline = new RunPipeline(search, new TorchTrainStage(), new OnnxExportStage(), new ProgressRunner(ctx, r));
            RunResult result;
            try { result = pipeline.Run(settings, cancel); }
            catch (OperationCanceledException e) when (e is not InterruptedRun)
            {
                throw new InterruptedRun($"stopped at a safe point; '{settings.OutDirectory}' keeps the finished stages and the last epoch's checkpoint", resumable: true, e);
            }
            if (ctx.Json(r)) { ctx.WriteJson(result); return Task.FromResult(result.Export.Verified ? 0 : 1); }
            var t = new Table().AddColumns("", "value");
            t.AddRow("found architecture", Markup.Escape(result.Search.Arch));
            t.AddRow($"table test accuracy ({result.Search.TableDataset ?? "no table"}) %", result.Search.TableAccuracy is { } a ? F(a, "F2") : "n/a");
            t.AddRow($"{result.Train.Data} test accuracy %", $"{F(result.Train.TestAccuracy, "F2")} ({result.Train.TestImages:N0} images)");
            t.AddRow("ONNX max abs diff", $"{result.Export.MaxAbsDiff:E2} ({(result.Export.Verified ? "verified" : "NOT verified")})");
            t.AddRow("search / train / export (s)", $"{F(result.Search.Seconds, "F1")} / {F(result.Train.Seconds, "F1")} / {F(result.Export.Seconds, "F1")}");
            if (result.ReusedStages.Count > 0) t.AddRow("reused (--resume)", string.Join(", ", result.ReusedStages));
            t.AddRow("report", Markup.Escape(Path.Combine(result.OutDirectory, RunDirectory.ReportFile)));
            ctx.Console.Write(t);
            return Task.FromResult(result.Export.Verified ? 0 : 1);
        });
        return cmd;
    }

    /// <summary>
    /// In-process, `nas run` searches zero-cost: tgnas-evolve/tgnas-prune are TG-NAS's one-piece procedures (no table or
    /// training queries), even where `nas search` registers the ask/tell "tgnas-evolve" (TG-NAS-guided evolution on an
    /// evaluator's results). With --cluster the ask/tell one runs, its evaluations on the workers.
    /// </summary>
    private static ISearchProcedure ZeroCostFirst(string name) => name.ToLowerInvariant() switch
    {
        "tgnas-evolve" or "tgnas-zero-shot" => new TgNasEvolutionSearch(),
        "tgnas-prune" => new TgNasPruneSearch(),
        _ => SearchProcedures.Get(name),
    };

    /// <summary>TG-NAS strategies score the plot's sample with TG-NAS (same weights option); others expose their trials or have no proxy.</summary>
    private static Func<IReadOnlyList<Architecture>, double[]>? ProxyFor(string strategy, RunSettings settings)
    {
        if (!strategy.StartsWith("tgnas", StringComparison.OrdinalIgnoreCase)) return null;
        var proxy = new TgNasProxy(settings.Options.GetValueOrDefault("weights"));
        var sp = SearchSpaces.Get(settings.Space);
        return archs => proxy.ScoreMany(sp, archs);
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>One Spectre progress bar per stage (none under --json).</summary>
    private sealed class ProgressRunner(CliContext ctx, ParseResult r) : IStageRunner
    {
        public T Run<T>(string title, Func<IProgress<ProgressInfo>, T> work) => ctx.WithProgress(r, title, work);
    }
}
