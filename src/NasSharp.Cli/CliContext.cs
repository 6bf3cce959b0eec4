using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using NasSharp.Data;
using Spectre.Console;

namespace NasSharp.Cli;

/// <summary>
/// What every command needs besides its own options: where to write, the global --json/--data-dir/--verbose options,
/// JSON output and Spectre rendering. Human output goes to stdout, or to stderr under --json so stdout stays parseable.
/// </summary>
public sealed class CliContext
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep NB201 strings readable ("+" not "\u002B")
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public CliContext(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Err = stderr;
        Console = CreateConsole(stdout);
        ErrorConsole = CreateConsole(stderr);
    }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    /// <summary>Spectre console over stdout (tables for humans).</summary>
    public IAnsiConsole Console { get; }
    /// <summary>Spectre console over stderr (progress bars, notes).</summary>
    public IAnsiConsole ErrorConsole { get; }

    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print one JSON document on stdout (snake_case keys, null for unknown).", Recursive = true };
    public static readonly Option<string?> DataDirOption = new("--data-dir") { Description = $"Data directory with the external tables (default: ${DataDirectory.EnvironmentVariable}, else {DataDirectory.DefaultPath}).", Recursive = true };
    public static readonly Option<bool> VerboseOption = new("--verbose") { Description = "Show stack traces on errors.", Recursive = true };

    public bool Json(ParseResult r) => r.GetValue(JsonOption);
    public string DataDir(ParseResult r) => DataDirectory.Resolve(r.GetValue(DataDirOption));

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>
    /// Writes an output that comes after the results are printed (a plot): a failure there (disk full, the directory gone)
    /// is one error line naming the option and exit code 1, and never takes the printed results with it.
    /// Returns the exit code: 0 written, 1 failed.
    /// </summary>
    public int WriteLate(string option, string path, Action write)
    {
        try
        {
            write();
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Err.WriteLine($"error: {option} '{path}' could not be written ({e.Message}); the results above are complete, only this file is missing.");
            return 1;
        }
    }

    /// <summary>The console for human-readable output: stdout normally, stderr under --json.</summary>
    public IAnsiConsole Human(ParseResult r) => Json(r) ? ErrorConsole : Console;

    /// <summary>
    /// Runs <paramref name="work"/> with a Spectre progress bar on stderr (skipped under --json, and when stderr is not a
    /// terminal only the final state is drawn). Returns the work's result.
    /// </summary>
    public T WithProgress<T>(ParseResult r, string title, Func<IProgress<ProgressInfo>, T> work)
    {
        if (Json(r)) return work(new Progress<ProgressInfo>(_ => { }));
        T result = default!;
        ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title));
                var reporter = new SyncProgress(info =>
                {
                    task.MaxValue = Math.Max(1, info.Total);
                    task.Value = info.Done;
                    if (info.Status is not null) task.Description = Markup.Escape($"{title} {info.Status}");
                });
                result = work(reporter);
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>The width Spectre lays out to when output goes to a file or pipe: wide enough that nothing wraps.</summary>
    public const int RedirectedWidth = 32_767;

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        bool isTerminal = (writer == System.Console.Out && !System.Console.IsOutputRedirected) ||
                          (writer == System.Console.Error && !System.Console.IsErrorRedirected);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output has no width; Spectre would assume 80 columns and hard-wrap architecture strings with real
        // newlines (uncopyable) and break table cells mid-word. A file or pipe gets lines as long as their content.
        if (!isTerminal) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool and can lag).</summary>
    private sealed class SyncProgress(Action<ProgressInfo> report) : IProgress<ProgressInfo>
    {
        public void Report(ProgressInfo value) => report(value);
    }
}
