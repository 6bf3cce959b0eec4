using System.CommandLine;
using System.Globalization;
using NasSharp.Benchmarks;
using NasSharp.Spaces;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas bench query|top|stats`: look architectures up in the benchmark tables of the data directory.</summary>
public static class BenchCommands
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("bench", "Query benchmark tables (NB201, NB101) read from the data directory.");
        cmd.Subcommands.Add(Query(ctx));
        cmd.Subcommands.Add(Top(ctx));
        cmd.Subcommands.Add(Stats(ctx));
        return cmd;
    }

    private static Option<string> MetricOption() => new("--metric")
    {
        Description = "Metric to rank by (test_accuracy, valid_accuracy, params_m, flops_m, …; see 'nas bench query').",
        DefaultValueFactory = _ => BenchMetric.TestAccuracy,
    };

    private static Command Query(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var arch = new Option<string?>("--arch") { Description = "Architecture in the space's string form." };
        var index = new Option<int?>("--index") { Description = "Row of the table (for NB201 the official index 0..15624)." };
        var dataset = CommonOptions.Dataset();
        var cmd = new Command("query", "Look up one architecture: accuracies, params, FLOPs and every other recorded metric.") { space, arch, index, dataset };
        cmd.SetAction(r =>
        {
            var bench = BenchmarkTables.Load(r.GetValue(space)!, ctx.DataDir(r));
            var d = BenchDataset.Normalize(r.GetValue(dataset)!, bench.Datasets);
            string? archText = r.GetValue(arch);
            int? idx = r.GetValue(index);
            if ((archText is null) == (idx is null)) throw new NasInputException("Give exactly one of --arch STRING or --index N.");
            int row;
            if (archText is not null)
            {
                var a = bench.Space.Parse(archText);
                row = bench.IndexOf(a) ?? throw new NasInputException($"Architecture '{archText}' is not in the {bench.Name} table (a valid cell the table does not cover).");
            }
            else row = idx!.Value;
            var archAt = bench.ArchitectureAt(row);
            var metrics = bench.MetricsFor(d).ToDictionary(m => m, m => bench.Query(row, d, m));
            var result = new Dictionary<string, object?>
            {
                ["index"] = row,
                ["arch"] = bench.Space.Format(archAt),
                ["dataset"] = d,
                ["test_accuracy"] = metrics.GetValueOrDefault(BenchMetric.TestAccuracy),
                ["valid_accuracy"] = metrics.GetValueOrDefault(BenchMetric.ValidAccuracy),
                ["params_m"] = metrics.GetValueOrDefault(BenchMetric.ParamsM),
                ["canonical_hash"] = bench.Space.CanonicalHash(archAt),
                ["metrics"] = metrics,
            };
            if (ctx.Json(r)) { ctx.WriteJson(result); return 0; }
            var c = ctx.Console;
            c.MarkupLine($"[bold]{bench.Name}[/] index {row}: {Markup.Escape(bench.Space.Format(archAt))}");
            var table = new Table().AddColumns("metric (" + d + ")", "value");
            foreach (var (m, v) in metrics) table.AddRow(m, Format(v));
            c.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Top(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var k = new Option<int>("-k", "--top") { Description = "How many.", DefaultValueFactory = _ => 10 };
        var metric = MetricOption();
        var cmd = new Command("top", "The k best architectures of a benchmark by a metric.") { space, dataset, k, metric };
        cmd.SetAction(r =>
        {
            var bench = BenchmarkTables.Load(r.GetValue(space)!, ctx.DataDir(r));
            var d = BenchDataset.Normalize(r.GetValue(dataset)!, bench.Datasets);
            var m = CheckMetric(bench, d, r.GetValue(metric)!);
            var top = bench.TopK(d, m, r.GetValue(k));
            var rows = top.Select((t, i) => new { rank = i + 1, index = t.Index, arch = bench.Space.Format(bench.ArchitectureAt(t.Index)), value = t.Value }).ToList();
            if (ctx.Json(r)) { ctx.WriteJson(new { space = bench.Name, dataset = d, metric = m, top = rows }); return 0; }
            var table = new Table().AddColumns("rank", "index", m, "architecture");
            foreach (var row in rows) table.AddRow(row.rank.ToString(), row.index.ToString(), Format(row.value), Markup.Escape(row.arch));
            ctx.Console.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Stats(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var metric = MetricOption();
        var cmd = new Command("stats", "Summary statistics of one metric over the whole table (missing values are counted, not averaged).") { space, dataset, metric };
        cmd.SetAction(r =>
        {
            var bench = BenchmarkTables.Load(r.GetValue(space)!, ctx.DataDir(r));
            var d = BenchDataset.Normalize(r.GetValue(dataset)!, bench.Datasets);
            var s = bench.Summary(d, CheckMetric(bench, d, r.GetValue(metric)!));
            if (ctx.Json(r)) { ctx.WriteJson(s); return 0; }
            var table = new Table().AddColumns("metric", "count", "missing", "mean", "std", "min (index)", "median", "max (index)");
            table.AddRow(s.Metric, s.Count.ToString(), s.Missing.ToString(), Format(s.Mean), Format(s.Std), $"{Format(s.Min)} ({s.MinIndex})", Format(s.Median), $"{Format(s.Max)} ({s.MaxIndex})");
            ctx.Console.Write(table);
            return 0;
        });
        return cmd;
    }

    private static string CheckMetric(IBenchmark bench, string dataset, string metric) =>
        bench.MetricsFor(dataset).Contains(metric) ? metric
            : throw new NasInputException($"Unknown metric '{metric}' for {bench.Name}/{dataset}; known: {string.Join(", ", bench.MetricsFor(dataset))}.");

    private static string Format(double? v) => v is null ? "missing" : v.Value.ToString("0.####", CultureInfo.InvariantCulture);
}
