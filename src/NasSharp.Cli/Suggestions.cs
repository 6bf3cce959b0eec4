using System.CommandLine;
using System.Text.RegularExpressions;

namespace NasSharp.Cli;

/// <summary>
/// "Did you mean …?" for a mistyped command or option: the nearest name (Levenshtein distance) among the subcommands and
/// options of the command that was being parsed when the unknown word appeared.
/// </summary>
internal static partial class Suggestions
{
    public static string? For(ParseResult parse, string errorMessage)
    {
        var m = Unrecognized().Match(errorMessage);
        if (!m.Success) return null;
        string word = m.Groups["word"].Value;
        var command = parse.CommandResult.Command;
        IEnumerable<string> names = word.StartsWith('-')
            ? AllOptions(parse).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
        var best = names.Distinct()
            .Select(n => (Name: n, Distance: Distance(word.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, word.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? null : $"Did you mean '{best.Name}'?";
    }

    /// <summary>The parsed command's own options and the recursive ones of its parents (--json, --data-dir, …).</summary>
    private static IEnumerable<Option> AllOptions(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var own = command.Options.Where(o => !o.Hidden);
        var inherited = parse.CommandResult.Parent is null ? [] : parse.RootCommandResult.Command.Options.Where(o => o.Recursive && !o.Hidden);
        return own.Concat(inherited);
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(?<word>[^']+)'")]
    private static partial Regex Unrecognized();
}
