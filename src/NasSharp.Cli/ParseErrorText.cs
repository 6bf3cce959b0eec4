using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using NasSharp.Cli.Commands;

namespace NasSharp.Cli;

/// <summary>
/// Parse errors in plain words. System.CommandLine reports a value that does not convert as "Cannot parse argument 'X'
/// for option '--o' as expected type 'System.Nullable`1[System.Int32]'"; this names the option and what it takes
/// ("a whole number from 1 to 1,000,000") instead of a .NET type name. Other errors pass through unchanged.
/// </summary>
internal static partial class ParseErrorText
{
    public static string Describe(ParseError error)
    {
        var m = CannotParse().Match(error.Message);
        if (!m.Success) return error.Message;
        string value = m.Groups["value"].Value, option = m.Groups["option"].Value;
        var type = (error.SymbolResult as OptionResult)?.Option.ValueType ?? (error.SymbolResult as ArgumentResult)?.Argument.ValueType;
        var expected = Expected(Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type, option);
        return expected is null ? error.Message : $"{option} takes {expected}; '{value}' is not one.";
    }

    private static string? Expected(Type? type, string option)
    {
        static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        if (type == typeof(int))
            return CountOptions.Names.Contains(option) ? $"a whole number from 1 to {N(Counts.Max)}" : $"a whole number (at most {N(int.MaxValue)})";
        if (type == typeof(long)) return $"a whole number (at most {N(long.MaxValue)})";
        if (type == typeof(double) || type == typeof(float)) return "a number (e.g. 0.5 or 1e-3)";
        if (type == typeof(bool)) return "true or false";
        if (type is { IsEnum: true }) return "one of " + string.Join(", ", Enum.GetNames(type)) + " (any case)";
        return null;
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command) '(?<option>[^']*)' as expected type", RegexOptions.Singleline)]
    private static partial Regex CannotParse();
}
