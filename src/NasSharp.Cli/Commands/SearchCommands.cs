using System.CommandLine;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Diffusion.Search;
using NasSharp.Distributed;
using NasSharp.Proxies;
using NasSharp.Search;
using NasSharp.Search.Evaluators;
using NasSharp.Search.Running;
using NasSharp.Search.Strategies;
using NasSharp.Spaces;
using NasSharp.TgNas.Search;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas search`: any registered search procedure (ask/tell strategies, TG-NAS, DiffusionNAG) on a space.</summary>
public static class SearchCommands
{
    public static Command Create(CliContext ctx)
    {
        RegisterProcedures();
        var space = CommonOptions.Space();
        var spaceFile = CommonOptions.SpaceFile();
        var strategy = new Option<string>("--strategy")
        {
            Description = "Search procedure: random, re, ls, bananas, diffusion-bo, tgnas-evolve (ask/tell: budget = evaluator queries, --store/--resume), or a one-piece one (tgnas-prune, diffusionnag, …).",
            Required = true,
        };
        var dataset = CommonOptions.Dataset();
        var budget = new Option<int>("--budget") { Description = "Number of evaluations (queries) the search may spend.", DefaultValueFactory = _ => 100 };
        var seed = CommonOptions.Seed();
        var store = CommonOptions.OutputFile("--store", "SQLite run store: every trial is written as soon as it exists (ask/tell strategies).");
        var study = CommonOptions.Study("Study name inside the store (default: STRATEGY-SPACE-DATASET-sSEED).");
        var resume = new Option<bool>("--resume") { Description = "Continue the study in --store: finished trials are replayed, not re-evaluated; the result equals an uninterrupted run." };
        var options = OptionPairs();
        var cluster = new Option<string?>("--cluster")
        {
            Description = "Evaluate on a worker cluster instead of in-process: localhost[:SILO[:GATEWAY]] or redis://HOST:PORT (start workers with 'nas worker'; ask/tell strategies; see docs/cluster.md).",
        };
        var cmd = new Command("search", "Search a space with a strategy; prints the found architecture, its true test accuracy (when a table exists), evaluations and wall time.")
            { space, spaceFile, strategy, dataset, budget, seed, store, study, resume, options, cluster };
        var access = new ClusterSecretOptions(); // with --cluster
        foreach (var o in access.All) cmd.Options.Add(o);
        cmd.SetAction((r, cancel) =>
        {
            var s = CommonOptions.ResolveSpace(r, space, spaceFile);
            var procedure = AskTellProcedure.Resolve(r.GetValue(strategy)!);
            int n = r.GetValue(budget);
            var opts = ParsePairs(r.GetValue(options) ?? []);
            string? clusterSpec = r.GetValue(cluster);
            if (clusterSpec is not null && procedure is not AskTellProcedure)
                throw new NasInputException($"--cluster runs ask/tell strategies ({string.Join(", ", StrategyCatalog.All.Select(d => d.Name))}); '{procedure.Name}' runs in one piece.");
            if (r.GetValue(store) is { } storePath && clusterSpec is null)
            {
                if (procedure is not AskTellProcedure)
                    throw new NasInputException($"--store/--resume record ask/tell strategies ({string.Join(", ", StrategyCatalog.All.Select(d => d.Name))}); '{procedure.Name}' runs in one piece.");
                opts["store"] = storePath;
                if (r.GetValue(study) is { } name) opts["study"] = name;
                if (r.GetValue(resume)) opts["resume"] = "true";
            }
            else if (r.GetValue(resume) && r.GetValue(store) is null) throw new NasInputException("--resume needs --store FILE (the run store to continue from).");
            string dataDir = ctx.DataDir(r);
            string ds = NormalizeDataset(s, r.GetValue(dataset)!, dataDir);
            SearchOutcome outcome;
            try
            {
                outcome = RunSearch();
            }
            catch (OperationCanceledException e) when (e is not InterruptedRun)
            {
                // The loop stops between trials; every finished trial is already in the store.
                throw r.GetValue(store) is { } kept
                    ? new InterruptedRun($"stopped between trials; '{kept}' holds every finished trial", resumable: true, e)
                    : new InterruptedRun("stopped between trials; nothing was kept (give --store FILE to be able to resume)", resumable: false, e);
            }
            SearchOutcome RunSearch() => ctx.WithProgress(r, $"{procedure.Name} on {s.Name}", progress =>
            {
                var request = new SearchRequest(s, ds, r.GetValue(seed), n, dataDir) { Options = opts, Progress = progress, Cancel = cancel };
                if (clusterSpec is null) return procedure.Run(request);
                // Same strategy, same request: only where the evaluations run changes (the cluster records its own store).
                var strategyInstance = StrategyCatalog.Get(procedure.Name).Create(s, r.GetValue(seed), opts, ds, dataDir);
                return ClusterSearch.Run(strategyInstance, request, new ClusterRunOptions(clusterSpec, access.Resolve(r))
                {
                    StudyId = r.GetValue(study), StorePath = r.GetValue(store), Resume = r.GetValue(resume),
                });
            });
            if (outcome.Details.GetValueOrDefault("budget_note") is string note) ctx.Err.WriteLine($"note: {note}");
            if (outcome.Details.GetValueOrDefault("budget") is int effective) n = effective;
            var test = TrueTestAccuracy(s, ds, dataDir, outcome.Best);
            var result = new Dictionary<string, object?>
            {
                ["strategy"] = procedure.Name,
                ["space"] = s.Name,
                ["dataset"] = ds,
                ["seed"] = r.GetValue(seed),
                ["budget"] = n,
                ["arch"] = s.Format(outcome.Best),
                ["score"] = outcome.BestScore,
                ["test_accuracy"] = test,
                ["evaluations"] = outcome.Evaluations,
                ["wall_s"] = outcome.Wall.TotalSeconds,
                ["details"] = outcome.Details.Where(kv => kv.Key != "test_trajectory").ToDictionary(),
                ["trajectory"] = outcome.Trajectory,
            };
            if (ctx.Json(r)) { ctx.WriteJson(result); return Task.FromResult(0); }
            var c = ctx.Console;
            c.MarkupLine($"[bold]{Markup.Escape(procedure.Name)}[/] on {s.Name}/{ds}, seed {r.GetValue(seed)}, budget {n}");
            var t = new Table().AddColumns("", "value");
            t.AddRow("architecture", Markup.Escape(s.Format(outcome.Best)));
            t.AddRow("search score", F(outcome.BestScore));
            t.AddRow("true test accuracy (%)", test is { } v ? F(v) : "n/a (no table)");
            t.AddRow("evaluations", outcome.Evaluations.ToString(CultureInfo.InvariantCulture));
            t.AddRow("wall time (s)", F(outcome.Wall.TotalSeconds, "F2"));
            foreach (var (k, val) in outcome.Details)
                if (k != "test_trajectory" && k != "test_accuracy" && val is not null && val is not System.Collections.ICollection)
                    t.AddRow(k, Markup.Escape(Convert.ToString(val, CultureInfo.InvariantCulture) ?? ""));
            c.Write(t);
            return Task.FromResult(0);
        });
        return cmd;
    }

    /// <summary>
    /// The composition root for strategies: the built-in ask/tell ones plus those DiffusionNAG (diffusion-bo) and TG-NAS
    /// (tgnas-evolve) expose, registered as procedures, and the "proxy:NAME" evaluator (idempotent).
    /// </summary>
    public static void RegisterProcedures()
    {
        StrategyCatalog.Register(DiffusionBoStrategy.Definition, TgNasGuidedEvolution.Definition);
        AskTellProcedure.RegisterAll();
        SearchEvaluators.Register("proxy", (request, name) =>
        {
            if (string.IsNullOrWhiteSpace(name)) throw new NasInputException($"Give the proxy: --option evaluator=proxy:NAME ({string.Join(", ", ProxyRegistry.Names)}).");
            BenchmarkEvaluator? truth = BenchmarkTables.Names.Contains(request.Space.Name, StringComparer.OrdinalIgnoreCase)
                ? SearchEvaluators.Benchmark(request) : null;
            return new ProxyEvaluator(ProxyRegistry.Get(name), new ProxyContext { Seed = request.Seed, Dataset = request.Dataset, DataDirectory = request.DataDirectory }, truth);
        });
    }

    internal static Option<string[]> OptionPairs() => new("--option")
    {
        Description = "Strategy or evaluator option KEY=VALUE (repeatable), e.g. population=50, k=10, encoding=adjacency, metric=test_accuracy_12ep, evaluator=proxy:synflow.",
        DefaultValueFactory = _ => [],
    };

    internal static Dictionary<string, string> ParsePairs(IEnumerable<string> pairs)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in pairs)
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new NasInputException($"--option '{p}' is not KEY=VALUE.");
            d[p[..eq].Trim()] = p[(eq + 1)..].Trim();
        }
        return d;
    }

    /// <summary>The benchmark's spelling of the dataset when the space has a table, else the name as given.</summary>
    internal static string NormalizeDataset(ISearchSpace space, string dataset, string dataDir) =>
        BenchmarkTables.Names.Contains(space.Name, StringComparer.OrdinalIgnoreCase)
            ? BenchDataset.Normalize(dataset, BenchmarkTables.Load(space.Name, dataDir).Datasets)
            : dataset;

    /// <summary>The table's test accuracy of an architecture, or null when there is no table, row or value.</summary>
    internal static double? TrueTestAccuracy(ISearchSpace space, string dataset, string dataDir, Architecture arch)
    {
        if (!BenchmarkTables.Names.Contains(space.Name, StringComparer.OrdinalIgnoreCase)) return null;
        IBenchmark bench;
        try { bench = BenchmarkTables.Load(space.Name, dataDir); }
        catch (NasDataException) { return null; }
        return bench.IndexOf(arch) is { } row ? bench.Query(row, dataset, BenchMetric.TestAccuracy) : null;
    }

    internal static string F(double v, string format = "F4") => v.ToString(format, CultureInfo.InvariantCulture);
}
