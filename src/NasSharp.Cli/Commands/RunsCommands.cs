using System.CommandLine;
using System.Globalization;
using NasSharp.Search.Running;
using NasSharp.Search.Store;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas runs list|show`: read the SQLite run store written by `nas search --store`.</summary>
public static class RunsCommands
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("runs", "Inspect the studies in a run store (nas search --store FILE).");
        cmd.Subcommands.Add(List(ctx));
        cmd.Subcommands.Add(Show(ctx));
        return cmd;
    }

    private static Option<string> StoreOption() => new("--store") { Description = "The SQLite run store file.", DefaultValueFactory = _ => "runs.db" };

    private static RunStore OpenExisting(string path) =>
        File.Exists(path) ? RunStore.Open(path) : throw new NasInputException($"Run store '{path}' does not exist; give --store FILE written by 'nas search --store'.");

    private static Command List(CliContext ctx)
    {
        var store = StoreOption();
        var cmd = new Command("list", "One line per study: strategy, space, dataset, seed, trials done of budget, best score, finished or not.") { store };
        cmd.SetAction(r =>
        {
            using var s = OpenExisting(r.GetValue(store)!);
            var studies = s.ListStudies();
            if (ctx.Json(r))
            {
                ctx.WriteJson(new
                {
                    store = s.Path,
                    studies = studies.Select(x => new
                    {
                        name = x.Study.Name, strategy = x.Study.Strategy, space = x.Study.Space, dataset = x.Study.Dataset, seed = x.Study.Seed,
                        budget = x.Study.Budget, trials = x.Trials, failed = x.Failed, best_score = x.BestScore, best_arch = x.BestArch,
                        evaluator = x.Study.Evaluator, created_utc = x.Study.CreatedUtc, finished_utc = x.Study.FinishedUtc,
                    }),
                });
                return 0;
            }
            var t = new Table().AddColumns("study", "strategy", "space", "dataset", "seed", "trials", "best score", "finished");
            foreach (var x in studies)
                // Every stored string is sanitised: a shared store must not be able to send terminal sequences.
                t.AddRow(TerminalText.Markup(x.Study.Name), TerminalText.Markup(x.Study.Strategy), TerminalText.Markup(x.Study.Space), TerminalText.Markup(x.Study.Dataset),
                    I(x.Study.Seed), $"{x.Trials}/{x.Study.Budget}",
                    x.BestScore is { } b ? SearchCommands.F(b) : "-", x.Study.FinishedUtc is { } f ? TerminalText.Markup(f) : "[yellow]interrupted (resume with --resume)[/]");
            ctx.Console.Write(t);
            return 0;
        });
        return cmd;
    }

    private static Command Show(CliContext ctx)
    {
        var store = StoreOption();
        var name = new Argument<string>("name") { Description = "Study name (see 'nas runs list')." };
        var cmd = new Command("show", "Every trial of a study in order, with its score, true test accuracy (when known) and timings.") { name, store };
        cmd.SetAction(r =>
        {
            using var s = OpenExisting(r.GetValue(store)!);
            var study = s.GetStudy(r.GetValue(name)!) ?? throw new NasInputException($"No study '{TerminalText.Safe(r.GetValue(name))}' in '{s.Path}'; see 'nas runs list --store {r.GetValue(store)}'.");
            var trials = s.Trials(study.Name);
            int best = Incumbents.Best(trials);
            if (ctx.Json(r))
            {
                ctx.WriteJson(new
                {
                    study = study.Name, strategy = study.Strategy, space = study.Space, dataset = study.Dataset, seed = study.Seed, budget = study.Budget,
                    evaluator = study.Evaluator, options = study.Options, created_utc = study.CreatedUtc, finished_utc = study.FinishedUtc,
                    best_trial = best < 0 ? (int?)null : trials[best].Number,
                    trials = trials.Select(t => new
                    {
                        number = t.Number, arch = t.Arch, canonical_hash = t.CanonicalHash, score = t.Result.Failed ? (double?)null : t.Result.Score,
                        metrics = t.Result.Metrics, cost_s = t.Result.CostSeconds, wall_s = t.WallSeconds, error = t.Result.Error,
                    }),
                });
                return 0;
            }
            var c = ctx.Console;
            c.MarkupLine($"[bold]{TerminalText.Markup(study.Name)}[/]: {TerminalText.Markup(study.Strategy)} on {TerminalText.Markup(study.Space)}/{TerminalText.Markup(study.Dataset)}, " +
                         $"seed {study.Seed}, {trials.Count}/{study.Budget} trials, evaluator {TerminalText.Markup(study.Evaluator)}");
            var t = new Table().AddColumns("#", "architecture", "score", "test acc", "cost (s)", "wall (s)");
            for (int i = 0; i < trials.Count; i++)
            {
                var x = trials[i];
                var test = x.Result.Metrics.GetValueOrDefault("test_accuracy");
                t.AddRow((i == best ? "*" : "") + I(x.Number), TerminalText.Markup(x.Arch), x.Result.Failed ? $"[red]{TerminalText.Markup(x.Result.Error)}[/]" : SearchCommands.F(x.Result.Score),
                    test is { } v ? SearchCommands.F(v) : "-", SearchCommands.F(x.Result.CostSeconds, "F1"), SearchCommands.F(x.WallSeconds, "F4"));
            }
            c.Write(t);
            return 0;
        });
        return cmd;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
