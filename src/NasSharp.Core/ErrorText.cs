using System.Globalization;
using System.Text.RegularExpressions;

namespace NasSharp;

/// <summary>
/// How user input appears in an error line: at most <see cref="MaxInput"/> characters of it, then "… (N chars)", so a
/// pasted megabyte never floods the terminal. <see cref="Line"/> is applied by the CLI to every error line it prints.
/// </summary>
public static partial class ErrorText
{
    public const int MaxInput = 200;

    /// <summary>The input itself when short, else its first <see cref="MaxInput"/> characters and its length.</summary>
    public static string Input(string text) =>
        text.Length <= MaxInput ? text : string.Concat(text.AsSpan(0, MaxInput), "… (", text.Length.ToString("N0", CultureInfo.InvariantCulture), " chars)");

    /// <summary>
    /// An error line with every over-long run of non-blank characters (an architecture string, a path, a token) shortened by
    /// <see cref="Input"/>, and the whole line capped at ten such lengths (input with blanks in it).
    /// </summary>
    public static string Line(string message)
    {
        var shortened = LongRun().Replace(message, m => Input(m.Value));
        const int cap = 10 * MaxInput;
        return shortened.Length <= cap ? shortened
            : string.Concat(shortened.AsSpan(0, cap), "… (", shortened.Length.ToString("N0", CultureInfo.InvariantCulture), " chars)");
    }

    [GeneratedRegex(@"\S{201,}")]
    private static partial Regex LongRun();
}
