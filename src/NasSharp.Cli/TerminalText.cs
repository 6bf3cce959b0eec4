using System.Globalization;
using System.Text;
using Spectre.Console;

namespace NasSharp.Cli;

/// <summary>
/// Makes a string read from a file (a shared run store, say) safe to print to a terminal: control characters — ESC and
/// the other C0/C1 codes that start terminal sequences, newlines, tabs — are shown as \uXXXX instead of being sent.
/// </summary>
public static class TerminalText
{
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.Any(char.IsControl)) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
            sb.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c);
        return sb.ToString();
    }

    /// <summary><see cref="Safe"/> and escaped for Spectre markup (a table cell or MarkupLine).</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Safe(text));
}
