using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NasSharp.Distributed;
using NasSharp.Distributed.Engine;
using NasSharp.Distributed.Evaluators;
using NasSharp.Distributed.Orleans;
using NasSharp.Pipeline;
using NasSharp.Search;
using NasSharp.Search.Strategies;
using NasSharp.Spaces;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>
/// `nas worker` (an Orleans worker silo that evaluates trials), `nas cluster status` (workers, running trials,
/// throughput) and `nas cluster search` (a study whose evaluations run on the cluster). See docs/cluster.md.
/// </summary>
public static class ClusterCommands
{
    public static IEnumerable<Command> Create(CliContext ctx)
    {
        PipelineEvaluators.Register(); // "train": workers that train candidates with TorchSharp
        return [Worker(ctx), Cluster(ctx)];
    }

    private static Option<string> ClusterOption() => new("--cluster")
    {
        Description = "Cluster to join: 'localhost[:SILO_PORT[:GATEWAY_PORT]]' (development clustering on 127.0.0.1; the primary worker must stay up) or 'redis://HOST:PORT' (Redis membership, for several machines).",
        DefaultValueFactory = _ => "localhost",
    };

    private static Option<string> ClusterIdOption() => new("--cluster-id")
    {
        Description = "Cluster (and service) id; several clusters can share one Redis with different ids.",
        DefaultValueFactory = _ => "nassharp",
    };

    private static Command Worker(CliContext ctx)
    {
        var cluster = ClusterOption();
        var clusterId = ClusterIdOption();
        var siloPort = new Option<int?>("--silo-port") { Description = "This silo's port (default: the primary's port from --cluster, i.e. this worker is the primary)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "This silo's client gateway port (default: silo port + 18889, i.e. 30000 for 11111)." };
        var advertise = new Option<string?>("--advertise") { Description = "IP address other hosts reach this worker at (Redis clusters on several machines); default 127.0.0.1." };
        var threads = new Option<int>("--threads") { Description = "Trials this worker evaluates at once.", DefaultValueFactory = _ => 1 };
        var memory = new Option<long>("--memory-mb") { Description = "Memory admission limit: no new trial starts while the process uses more than this and another trial runs (0 = no limit).", DefaultValueFactory = _ => 0 };
        var torchThreads = new Option<int>("--torch-threads") { Description = "TorchSharp intra-op threads for evaluators that train (0 = leave TorchSharp's default).", DefaultValueFactory = _ => 0 };
        var evaluator = new Option<string>("--evaluator") { Description = $"Evaluator to run ({string.Join(", ", WorkerEvaluators.Names)}).", DefaultValueFactory = _ => "benchmark" };
        var delay = new Option<int>("--delay-ms") { Description = "Artificial training time added to every trial, in milliseconds (to measure the engine with a lookup evaluator).", DefaultValueFactory = _ => 0 };
        var metric = new Option<string?>("--metric") { Description = "Benchmark metric used as the score (default: validation accuracy)." };
        var poison = new Option<string[]>("--poison") { Description = "Fault injection: evaluating this architecture (space string) always throws. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var train = TrainOptions();
        var access = new ClusterSecretOptions();
        var preload = new Option<string[]>("--preload") { Description = "SPACE:DATASET whose evaluator is built before the worker reports ready (e.g. nb201:cifar10), so no trial pays for loading tables. Repeatable." };
        var cmd = new Command("worker", "Start a worker silo that evaluates trials for studies on the cluster; runs until Ctrl+C.")
        {
            cluster, clusterId, siloPort, gatewayPort, advertise, threads, memory, torchThreads, evaluator, delay, metric, poison, preload,
        };
        foreach (var o in train.All) cmd.Options.Add(o);
        foreach (var o in access.All) cmd.Options.Add(o);
        cmd.SetAction(async (r, cancel) =>
        {
            var spec = ClusterSpec.Parse(r.GetValue(cluster)!, r.GetValue(clusterId)!);
            int silo = r.GetValue(siloPort) ?? spec.PrimarySiloPort;
            // The primary listens where --cluster says clients find its gateway; other workers default to silo port + offset.
            int gateway = r.GetValue(gatewayPort) ?? (silo == spec.PrimarySiloPort ? spec.PrimaryGatewayPort : silo + (ClusterSpec.DefaultGatewayPort - ClusterSpec.DefaultSiloPort));
            IPAddress? advertised = null;
            if (r.GetValue(advertise) is { } a && !IPAddress.TryParse(a, out advertised))
                throw new NasInputException($"--advertise '{a}' is not an IP address.");
            var secret = access.Resolve(r, advertised);
            if (r.GetValue(torchThreads) is > 0 and var tt) TorchSharp.torch.set_num_threads(tt);
            string dataDir = ctx.DataDir(r);
            if (r.GetValue(evaluator) == "benchmark" && !Directory.Exists(dataDir))
                throw new NasDataException($"Data directory not found: {dataDir}; a benchmark worker reads its tables there. Point --data-dir or ${NasSharp.Data.DataDirectory.EnvironmentVariable} at the data directory (docs/data.md).");
            var settings = new WorkerSettings(r.GetValue(threads), new EvaluatorSettings(r.GetValue(evaluator)!, dataDir)
            {
                Delay = TimeSpan.FromMilliseconds(r.GetValue(delay)),
                Metric = r.GetValue(metric),
                Poisoned = (r.GetValue(poison) ?? []).ToHashSet(),
                Options = train.Read(r),
            })
            { MemoryLimitMb = r.GetValue(memory) };
            PipelineEvaluators.CheckWorker(settings.Evaluator);
            using var host = WorkerSilo.Build(spec, new SiloEndpoints(silo, gateway) { Advertised = advertised }, settings, secret);
            var runtime = host.Services.GetRequiredService<WorkerRuntime>();
            foreach (var p in r.GetValue(preload) ?? [])
            {
                var parts = p.Split(':');
                if (parts.Length != 2) throw new NasInputException($"--preload '{p}' is not SPACE:DATASET (e.g. nb201:cifar10).");
                runtime.Preload(parts[0], parts[1]);
            }
            await WorkerSilo.StartAsync(host, cancel);
            var info = new Dictionary<string, object?>
            {
                ["status"] = "ready", ["cluster"] = spec.ToString(), ["cluster_id"] = spec.ClusterId, ["silo_port"] = silo,
                ["gateway_port"] = gateway, ["threads"] = settings.Threads, ["evaluator"] = settings.Evaluator.Name,
                ["delay_ms"] = settings.Evaluator.Delay.TotalMilliseconds, ["pid"] = Environment.ProcessId,
            };
            if (ctx.Json(r)) ctx.WriteJson(info);
            else ctx.Console.MarkupLine($"worker ready: silo 127.0.0.1:{silo}, gateway {gateway}, {settings.Threads} thread(s), evaluator {Markup.Escape(settings.Evaluator.Name)} (+{settings.Evaluator.Delay.TotalMilliseconds:0} ms), cluster {Markup.Escape(spec.ToString())}; Ctrl+C to stop");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            await host.StopAsync(TimeSpan.FromSeconds(10));
            return 0;
        });
        return cmd;
    }

    /// <summary>The options of the "train" evaluator (`--evaluator train`), passed to it as snake_case KEY=VALUE settings.</summary>
    private sealed record TrainingWorkerOptions(Option<string> Data, Option<string?> DataPath, Option<int> Epochs, Option<int> TrainLimit,
        Option<int> ValidLimit, Option<int> Batch, Option<double> Lr, Option<int> Seed)
    {
        public IEnumerable<Option> All => [Data, DataPath, Epochs, TrainLimit, ValidLimit, Batch, Lr, Seed];

        public Dictionary<string, string> Read(ParseResult r)
        {
            var d = new Dictionary<string, string>
            {
                ["data"] = r.GetValue(Data)!, ["train_epochs"] = Inv(r.GetValue(Epochs)), ["train_limit"] = Inv(r.GetValue(TrainLimit)),
                ["valid_limit"] = Inv(r.GetValue(ValidLimit)), ["batch"] = Inv(r.GetValue(Batch)), ["lr"] = Inv(r.GetValue(Lr)), ["seed"] = Inv(r.GetValue(Seed)),
            };
            if (r.GetValue(DataPath) is { } p) d["data_path"] = p;
            return d;
        }

        private static string Inv(IFormattable v) => v.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static TrainingWorkerOptions TrainOptions() => new(
        new("--data") { Description = "--evaluator train: dataset to train candidates on (fashion-mnist or cifar10).", DefaultValueFactory = _ => "fashion-mnist" },
        new("--data-path") { Description = "--evaluator train: directory with the dataset's files (default: as 'nas train')." },
        new("--train-epochs") { Description = "--evaluator train: epochs per candidate.", DefaultValueFactory = _ => 1 },
        new("--train-limit") { Description = "--evaluator train: train on the first N training images.", DefaultValueFactory = _ => 1000 },
        new("--valid-limit") { Description = "--evaluator train: score = accuracy (%) on the next N training images (held out).", DefaultValueFactory = _ => 500 },
        new("--batch") { Description = "--evaluator train: mini-batch size.", DefaultValueFactory = _ => 64 },
        new("--lr") { Description = "--evaluator train: initial learning rate (cosine to 0).", DefaultValueFactory = _ => 0.1 },
        new("--train-seed") { Description = "--evaluator train: seed of weights, batch order and augmentation (the same for every candidate).", DefaultValueFactory = _ => 0 });

    private static Command Cluster(CliContext ctx)
    {
        var cmd = new Command("cluster", "Inspect a worker cluster and run studies on it.");
        cmd.Subcommands.Add(Status(ctx));
        cmd.Subcommands.Add(Search(ctx));
        cmd.Subcommands.Add(Bench(ctx));
        return cmd;
    }

    private static Command Status(CliContext ctx)
    {
        var cluster = ClusterOption();
        var clusterId = ClusterIdOption();
        var access = new ClusterSecretOptions();
        var cmd = new Command("status", "List the workers of a cluster: slots, running trials, trials finished and throughput.") { cluster, clusterId };
        foreach (var o in access.All) cmd.Options.Add(o);
        cmd.SetAction(async (r, cancel) =>
        {
            var spec = ClusterSpec.Parse(r.GetValue(cluster)!, r.GetValue(clusterId)!);
            await using var connection = await ClusterConnection.ConnectAsync(spec, access.Resolve(r), TimeSpan.FromSeconds(10), cancel);
            var status = await new OrleansWorkerPool(connection.Client).GetStatusAsync(cancel);
            var workers = status.Select(s => new Dictionary<string, object?>
            {
                ["worker"] = s.WorkerId,
                ["responding"] = s.Info is not null,
                ["host"] = s.Info?.Host,
                ["pid"] = s.Info?.ProcessId,
                ["slots"] = s.Info?.Slots,
                ["evaluator"] = s.Info?.Evaluator,
                ["completed"] = s.Info?.Completed,
                ["failed"] = s.Info?.Failed,
                ["trials_per_second_last_minute"] = s.Info?.TrialsPerSecondLastMinute,
                ["working_set_mb"] = s.Info?.WorkingSetMb,
                ["running"] = s.Info?.Running.Select(t => new { t.Study, t.TrialId, t.Attempt, t.Architecture, started_utc = t.StartedUtc }).ToList(),
            }).ToList();
            double total = status.Sum(s => s.Info?.TrialsPerSecondLastMinute ?? 0);
            if (ctx.Json(r))
            {
                ctx.WriteJson(new Dictionary<string, object?> { ["cluster"] = spec.ToString(), ["workers"] = workers, ["trials_per_second_last_minute"] = total });
                return 0;
            }
            var table = new Table().AddColumns("worker", "pid", "slots", "running", "completed", "failed", "trials/s (1 min)", "evaluator");
            foreach (var (id, info) in status)
                table.AddRow(Markup.Escape(id), $"{info?.ProcessId}", $"{info?.Slots}", $"{info?.Running.Count}", $"{info?.Completed}", $"{info?.Failed}",
                    info is null ? "not responding" : $"{info.TrialsPerSecondLastMinute:0.00}", Markup.Escape(info?.Evaluator ?? ""));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"{status.Count} worker(s), {status.Sum(s => s.Info?.Running.Count ?? 0)} trial(s) running, {total:0.00} trials/s over the last minute");
            foreach (var (id, info) in status)
                foreach (var t in info?.Running ?? [])
                    ctx.Console.MarkupLine($"  running: {Markup.Escape(t.Study)} #{t.TrialId} (attempt {t.Attempt}) on {Markup.Escape(id)}: {Markup.Escape(t.Architecture)}");
            return 0;
        });
        return cmd;
    }

    private static Command Search(CliContext ctx)
    {
        var cluster = ClusterOption();
        var clusterId = ClusterIdOption();
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var seed = CommonOptions.Seed();
        var strategy = new Option<string>("--strategy") { Description = $"Ask/tell strategy ({string.Join(", ", StrategyCatalog.All.Select(d => d.Name))}).", DefaultValueFactory = _ => "random" };
        var options = SearchCommands.OptionPairs();
        var budget = new Option<int>("--budget") { Description = "Trials to finish (failed ones included).", DefaultValueFactory = _ => 100 };
        var study = CommonOptions.Study("Study name in the store (default: STRATEGY-SPACE-DATASET-seedSEED).");
        var store = CommonOptions.OutputFile("--store", "SQLite file that records every finished trial (needed for --resume).");
        var resume = new Option<bool>("--resume") { Description = "Continue the study in --store: re-tell recorded trials, reattach to trials that were running." };
        var parallel = new Option<int>("--parallel") { Description = "Most trials in flight (0 = every worker slot).", DefaultValueFactory = _ => 0 };
        var order = new Option<TellOrder>("--order") { Description = "arrival: tell results as they arrive (fully asynchronous); deterministic: tell in trial order with a fixed window of --parallel, so the study does not depend on timing or faults.", DefaultValueFactory = _ => TellOrder.Arrival };
        var timeout = new Option<double>("--trial-timeout-s") { Description = "Re-assign an attempt that gave no result within this many seconds.", DefaultValueFactory = _ => 1800 };
        var attempts = new Option<int>("--max-attempts") { Description = "Attempts with an evaluation error or NaN before a trial is recorded as failed.", DefaultValueFactory = _ => 3 };
        var cmd = new Command("search", "Run an ask/tell search whose evaluations run on the worker cluster (what 'nas search --cluster' does).")
        {
            cluster, clusterId, space, dataset, seed, strategy, options, budget, study, store, resume, parallel, order, timeout, attempts,
        };
        var access = new ClusterSecretOptions();
        foreach (var o in access.All) cmd.Options.Add(o);
        cmd.SetAction(async (r, cancel) =>
        {
            var sp = SearchSpaces.Get(r.GetValue(space)!);
            var opts = SearchCommands.ParsePairs(r.GetValue(options) ?? []);
            var definition = StrategyCatalog.Get(r.GetValue(strategy)!);
            var strat = definition.Create(sp, r.GetValue(seed), opts);
            var run = new ClusterRunOptions(r.GetValue(cluster)!, access.Resolve(r))
            {
                ClusterId = r.GetValue(clusterId)!, StudyId = r.GetValue(study), StorePath = r.GetValue(store), Resume = r.GetValue(resume),
                Parallelism = r.GetValue(parallel), Order = r.GetValue(order), TrialTimeout = TimeSpan.FromSeconds(r.GetValue(timeout)),
                MaxAttempts = r.GetValue(attempts),
            };
            if (run.Resume && run.StorePath is null) throw new NasInputException("--resume needs --store FILE.db (the store of the study to continue).");
            var request = new SearchRequest(sp, r.GetValue(dataset)!, r.GetValue(seed), r.GetValue(budget), ctx.DataDir(r)) { Options = opts, Cancel = cancel };
            var outcome = await Task.Run(() => ctx.WithProgress(r, "cluster search", progress =>
                ClusterSearch.Run(strat, request with { Progress = progress }, run)), cancel);
            var json = new Dictionary<string, object?>
            {
                ["best_arch"] = sp.Format(outcome.Best), ["best_score"] = outcome.BestScore, ["evaluations"] = outcome.Evaluations,
                ["wall_seconds"] = outcome.Wall.TotalSeconds, ["space"] = sp.Name, ["dataset"] = request.Dataset, ["budget"] = request.Budget,
            };
            foreach (var (k, v) in outcome.Details) json[k] = v;
            if (ctx.Json(r)) { ctx.WriteJson(json); return 0; }
            var table = new Table().AddColumns("", "value");
            foreach (var (k, v) in json) table.AddRow(Markup.Escape(k), Markup.Escape(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null"));
            ctx.Console.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Bench(CliContext ctx)
    {
        var workers = new Option<string>("--workers") { Description = "Worker process counts to measure, comma-separated.", DefaultValueFactory = _ => "1,2,4" };
        var budget = new Option<int>("--budget") { Description = "Trials per measurement.", DefaultValueFactory = _ => 200 };
        var delay = new Option<int>("--delay-ms") { Description = "Artificial training time per trial.", DefaultValueFactory = _ => 200 };
        var basePort = new Option<int>("--base-port") { Description = "First silo port on 127.0.0.1 (gateways at +1000).", DefaultValueFactory = _ => 23111 };
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var seed = CommonOptions.Seed();
        var cmd = new Command("bench", "Measure trials/s and scaling efficiency with 1, 2, 4… local worker processes (random search on the benchmark evaluator with an artificial training time).")
        {
            workers, budget, delay, basePort, space, dataset, seed,
        };
        cmd.SetAction(async (r, cancel) =>
        {
            var counts = r.GetValue(workers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(w => int.TryParse(w, out int n) && n >= 1 ? n : throw new NasInputException($"--workers '{w}' is not a positive integer.")).ToList();
            if (r.GetValue(delay) <= 0) throw new NasInputException("--delay-ms must be positive (it is the unit of the ideal throughput).");
            var sp = SearchSpaces.Get(r.GetValue(space)!);
            int seedValue = r.GetValue(seed);
            var settings = new ClusterBench.Settings(counts, r.GetValue(budget), TimeSpan.FromMilliseconds(r.GetValue(delay)), seedValue, r.GetValue(basePort))
            {
                Space = sp.Name, Dataset = r.GetValue(dataset)!, DataDirectory = ctx.DataDir(r),
            };
            var rows = await Task.Run(() => ctx.WithProgress(r, "cluster bench", progress =>
                ClusterBench.RunAsync(NasCommand.Current(), settings, () => StrategyCatalog.Get("random").Create(sp, seedValue, new Dictionary<string, string>()), progress, cancel)
                    .GetAwaiter().GetResult()), cancel);
            if (ctx.Json(r))
            {
                ctx.WriteJson(new Dictionary<string, object?>
                {
                    ["budget"] = settings.Budget, ["delay_ms"] = settings.Delay.TotalMilliseconds, ["seed"] = seedValue, ["space"] = sp.Name, ["dataset"] = settings.Dataset,
                    ["rows"] = rows.Select(x => new { x.Workers, x.Trials, x.WallSeconds, x.TrialsPerSecond, x.IdealTrialsPerSecond, x.EfficiencyVsOneWorker, x.EfficiencyVsIdeal }),
                });
                return 0;
            }
            var table = new Table().AddColumns("workers", "trials", "wall s", "trials/s", "ideal trials/s", "efficiency vs 1 worker", "efficiency vs ideal");
            foreach (var x in rows)
                table.AddRow($"{x.Workers}", $"{x.Trials}", $"{x.WallSeconds:0.00}", $"{x.TrialsPerSecond:0.00}", $"{x.IdealTrialsPerSecond:0.00}", $"{x.EfficiencyVsOneWorker:P0}", $"{x.EfficiencyVsIdeal:P0}");
            ctx.Console.Write(table);
            return 0;
        });
        return cmd;
    }
}
