namespace NasSharp.Cli;

/// <summary>
/// A command stopped at a safe point by Ctrl-C or SIGTERM. <see cref="Exception.Message"/> says what was kept; when
/// <see cref="Resumable"/>, <see cref="CliApp"/> adds the exact command line that continues the run (the same arguments
/// plus --resume). Exit code 130.
/// </summary>
public sealed class InterruptedRun(string kept, bool resumable, Exception? inner = null) : OperationCanceledException(kept, inner)
{
    public bool Resumable { get; } = resumable;

    /// <summary>The command line that continues an interrupted run: the same arguments, with --resume added once.</summary>
    public static string ResumeCommand(IReadOnlyList<string> args) =>
        "nas " + string.Join(' ', (args.Contains("--resume") ? args : [.. args, "--resume"]).Select(Quote));

    /// <summary>Single-quotes an argument for a POSIX shell when it holds anything but safe characters.</summary>
    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
