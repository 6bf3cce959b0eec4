namespace NasSharp.Cli.Tests;

/// <summary>Runs the `nas` command line in-process and captures what a user would see.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var stdout = new StringWriter(); var stderr = new StringWriter();
        int code = CliApp.Run(["--data-dir", TestData.Directory, .. args], stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
