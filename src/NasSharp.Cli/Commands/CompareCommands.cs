using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NasSharp.Search.Comparison;
using NasSharp.Spaces;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas compare`: several strategies × seeds on a benchmark table, test accuracy (mean ± std) vs queries, and a plot.</summary>
public static class CompareCommands
{
    public static Command Create(CliContext ctx)
    {
        SearchCommands.RegisterProcedures();
        var space = CommonOptions.Space();
        var dataset = CommonOptions.Dataset();
        var strategies = new Option<string>("--strategies") { Description = "Comma-separated search procedures.", DefaultValueFactory = _ => "random,re,ls,bananas" };
        var seeds = new Option<int>("--seeds") { Description = "Runs per strategy, with seeds 0..N-1.", DefaultValueFactory = _ => 10 };
        var budget = new Option<int>("--budget") { Description = "Evaluations (queries) per run.", DefaultValueFactory = _ => 100 };
        var plot = CommonOptions.OutputFile("--plot", "Write the mean test-accuracy trajectories (± std band) to this PNG.");
        var firstSeed = new Option<int>("--first-seed") { Description = "Run seeds F..F+N-1 instead of 0..N-1 (split the seeds over processes, then --merge their --json outputs).", DefaultValueFactory = _ => 0 };
        var merge = new Option<string[]>("--merge") { Description = "Instead of running, combine earlier `nas compare --json` outputs (files with disjoint seeds) into one table, JSON and plot.", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Torch threads for strategies that use torch (diffusion-bo, tgnas-evolve); 1–2 on the shared machine.", DefaultValueFactory = _ => 1 };
        var options = SearchCommands.OptionPairs();
        var cmd = new Command("compare", "Compare search strategies on a benchmark table: final test accuracy of the returned architecture (mean ± std over seeds) and the incumbent's test accuracy vs number of queries.")
            { space, dataset, strategies, seeds, budget, plot, firstSeed, merge, threads, options };
        cmd.SetAction((r, cancel) =>
        {
            string dataDir = ctx.DataDir(r);
            if (r.GetValue(threads) < 1) throw new NasInputException($"--threads must be at least 1, got {r.GetValue(threads)}.");
            TorchSharp.torch.set_num_threads(Math.Min(r.GetValue(threads), Environment.ProcessorCount));
            ComparisonRequest request;
            IReadOnlyList<StrategyResult> results;
            if (r.GetValue(merge) is { Length: > 0 } files)
            {
                // A merge reads only the files (space, dataset and budget come from them); it needs no benchmark table.
                var (mergedSpace, mergedDataset, mergedBudget, parts) = ReadParts(files);
                results = StrategyComparison.Merge(parts);
                request = new ComparisonRequest(SearchSpaces.Get(mergedSpace), mergedDataset, results.Select(x => x.Strategy).ToArray(),
                    results.Max(x => x.FinalTest.Count), mergedBudget, dataDir);
            }
            else
            {
                var s = SearchSpaces.Get(r.GetValue(space)!);
                var names = r.GetValue(strategies)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                request = new ComparisonRequest(s, SearchCommands.NormalizeDataset(s, r.GetValue(dataset)!, dataDir), names, r.GetValue(seeds), r.GetValue(budget), dataDir)
                {
                    Options = SearchCommands.ParsePairs(r.GetValue(options) ?? []),
                    FirstSeed = r.GetValue(firstSeed),
                };
                results = ctx.WithProgress(r, "compare", progress => StrategyComparison.Run(request, progress, cancel));
            }
            var checkpoints = new[] { 10, 25, 50, 100, 150, 200, 300, 500 }.Where(q => q < request.Budget).Append(request.Budget).Distinct().ToArray();
            // The plot is written after the results are printed: a failing write must not take them with it.
            int WritePlot() => r.GetValue(plot) is { } png ? ctx.WriteLate("--plot", png, () => SavePlot(png, request, results)) : 0;
            if (ctx.Json(r))
            {
                ctx.WriteJson(new
                {
                    space = request.Space.Name, dataset = request.Dataset, seeds = request.Seeds, first_seed = request.FirstSeed, budget = request.Budget, plot = r.GetValue(plot),
                    strategies = results.Select(x => new
                    {
                        strategy = x.Strategy, final_test_mean = x.Mean, final_test_std = x.Std, final_test = x.FinalTest, evaluations = x.Evaluations,
                        mean_wall_s = x.MeanWallSeconds,
                        by_query = x.TestByQuery is null ? null : checkpoints.Select(q => new { queries = q, mean = x.AtQuery(q)?.Mean, std = x.AtQuery(q)?.Std }),
                        runs = x.Seeds.Select((seed, i) => new
                        {
                            seed, final_test = x.FinalTest[i], evaluations = x.Evaluations[i], test_trajectory = x.TestByQuery?[i],
                        }),
                    }),
                });
                return Task.FromResult(WritePlot());
            }
            var c = ctx.Console;
            c.MarkupLine($"{request.Space.Name}/{request.Dataset}: test accuracy (%) of the incumbent chosen by the search's score, mean ± std over {request.Seeds} seeds");
            var t = new Table().AddColumn("strategy");
            foreach (var q in checkpoints) t.AddColumn($"{q} queries");
            t.AddColumn("final (returned arch)").AddColumn("s / run");
            foreach (var x in results)
            {
                var cells = new List<string> { x.Strategy };
                cells.AddRange(checkpoints.Select(q => x.AtQuery(q) is { } m ? $"{F(m.Mean)} ± {F(m.Std)}" : "-"));
                cells.Add($"{F(x.Mean)} ± {F(x.Std)}");
                cells.Add(F(x.MeanWallSeconds));
                t.AddRow(cells.ToArray());
            }
            c.Write(t);
            return Task.FromResult(WritePlot());
        });
        return cmd;
    }

    /// <summary>Reads `nas compare --json` outputs for --merge; they must agree on space, dataset and budget.</summary>
    private static (string Space, string Dataset, int Budget, List<StrategyResult> Parts) ReadParts(IEnumerable<string> files)
    {
        string? space = null, dataset = null;
        int budget = 0;
        var parts = new List<StrategyResult>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw new NasInputException($"--merge: '{f}' does not exist.");
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(f));
                var root = doc.RootElement;
                string fs = root.GetProperty("space").GetString()!, fd = root.GetProperty("dataset").GetString()!;
                int fb = root.GetProperty("budget").GetInt32();
                if (space is null) (space, dataset, budget) = (fs, fd, fb);
                else if (fs != space || fd != dataset || fb != budget)
                    throw new NasInputException($"--merge: '{f}' is {fs}/{fd} with budget {fb}, the first file {space}/{dataset} with budget {budget}; merge one comparison only.");
                foreach (var st in root.GetProperty("strategies").EnumerateArray())
                {
                    var runs = st.GetProperty("runs").EnumerateArray().ToList();
                    bool curves = runs.All(x => x.GetProperty("test_trajectory").ValueKind == JsonValueKind.Array);
                    parts.Add(new StrategyResult(st.GetProperty("strategy").GetString()!,
                        runs.Select(x => x.GetProperty("final_test").GetDouble()).ToArray(),
                        runs.Select(x => x.GetProperty("evaluations").GetInt32()).ToArray(),
                        curves ? runs.Select(x => x.GetProperty("test_trajectory").EnumerateArray()
                            .Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToArray()).ToArray() : null,
                        st.GetProperty("mean_wall_s").GetDouble())
                    {
                        Seeds = runs.Select(x => x.GetProperty("seed").GetInt32()).ToArray(),
                    });
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new NasInputException($"--merge: '{f}' is not a `nas compare --json` output with per-seed runs ({e.Message}).");
            }
        }
        if (parts.Count == 0) throw new NasInputException("--merge: the files hold no strategies.");
        return (space!, dataset!, budget, parts);
    }

    private static void SavePlot(string path, ComparisonRequest request, IReadOnlyList<StrategyResult> results)
    {
        var plt = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var x in results)
        {
            var color = palette.GetColor(i++);
            if (x.TestByQuery is null)
            {
                var marker = plt.Add.Marker(x.Evaluations.Average(), x.Mean);
                marker.Color = color;
                marker.Size = 10;
                marker.LegendText = $"{x.Strategy} (final only)";
                continue;
            }
            var qs = Enumerable.Range(1, request.Budget).Where(q => x.AtQuery(q) is not null).ToArray();
            double[] xs = qs.Select(q => (double)q).ToArray(), mean = qs.Select(q => x.AtQuery(q)!.Value.Mean).ToArray(), std = qs.Select(q => x.AtQuery(q)!.Value.Std).ToArray();
            TrajectoryPlot.AddMeanStd(plt, color, xs, mean, std, x.Strategy);
        }
        plt.Title($"{request.Space.Name} {request.Dataset}: incumbent test accuracy, mean ± std over {request.Seeds} seeds");
        plt.XLabel("queries (architectures evaluated)");
        plt.YLabel("test accuracy (%)");
        plt.ShowLegend(ScottPlot.Alignment.LowerRight);
        plt.SavePng(path, 1000, 650);
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
