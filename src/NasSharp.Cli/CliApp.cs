using System.CommandLine;
using NasSharp.Cli.Commands;

namespace NasSharp.Cli;

/// <summary>
/// The `nas` command line. Exit codes: 0 success, 1 a failure while running, 2 bad input (options, strings, files),
/// 130 interrupted. Errors are one line on stderr; --verbose adds the stack trace.
/// </summary>
public static class CliApp
{
    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand("NasSharp — neural architecture search for .NET: search spaces, benchmark tables, zero-cost proxies, TG-NAS and DiffusionNAG.");
        root.Options.Add(CliContext.JsonOption);
        root.Options.Add(CliContext.DataDirOption);
        root.Options.Add(CliContext.VerboseOption);
        // Each command group lives in its own file under Commands/ and is registered here.
        root.Subcommands.Add(SpaceCommands.Create(ctx));
        root.Subcommands.Add(SearchCommands.Create(ctx));
        root.Subcommands.Add(RunsCommands.Create(ctx));
        root.Subcommands.Add(CompareCommands.Create(ctx));
        root.Subcommands.Add(ExportCommands.Create(ctx));
        root.Subcommands.Add(BenchCommands.Create(ctx));
        root.Subcommands.Add(ProxyCommands.Create(ctx));
        foreach (var c in ClusterCommands.Create(ctx)) root.Subcommands.Add(c);
        root.Subcommands.Add(TrainCommands.Create(ctx));
        root.Subcommands.Add(RunCommands.Create(ctx));
        root.Subcommands.Add(TgNasCommands.Create(ctx));
        root.Subcommands.Add(OfaCommands.Create(ctx));
        root.Subcommands.Add(DiffusionCommands.Create(ctx));
        root.Subcommands.Add(WeightsCommands.Create(ctx));
        CountOptions.Apply(root);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        var ctx = new CliContext(stdout, stderr);
        var root = BuildRoot(ctx);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per error with a suggestion when a word looks like a mistyped command or option; then where to get help.
            foreach (var e in parse.Errors)
            {
                var hint = Suggestions.For(parse, e.Message);
                stderr.WriteLine($"error: {ErrorText.Line(ParseErrorText.Describe(e))}{(hint is null ? "" : " " + hint)}");
            }
            stderr.WriteLine("Run 'nas --help' (or the command with --help) for usage.");
            return 2;
        }
        bool verbose = parse.GetValue(CliContext.VerboseOption);
        try
        {
            // ProcessTerminationTimeout = null: System.CommandLine's own Ctrl-C handling would end the process 2 s after the
            // signal, mid-step; Program's CliSignals cancels `cancel` instead and the commands stop at their next safe point.
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.InvokeAsync(config, cancel).GetAwaiter().GetResult();
        }
        catch (NasInputException e) { return Fail(stderr, e, verbose, 2); }
        catch (InterruptedRun e)
        {
            return Fail(stderr, e, verbose, 130, $"interrupted: {e.Message}" + (e.Resumable ? $"; continue with: {InterruptedRun.ResumeCommand(args)}" : ""));
        }
        catch (OperationCanceledException e) { return Fail(stderr, e, verbose, 130, "interrupted; finished work was kept"); }
        catch (Exception e) { return Fail(stderr, e, verbose, 1); }
    }

    private static int Fail(TextWriter stderr, Exception e, bool verbose, int code, string? message = null)
    {
        stderr.WriteLine($"error: {ErrorText.Line(message ?? e.Message)}");
        if (verbose) stderr.WriteLine(e);
        return code;
    }
}
