using System.CommandLine;
using System.Globalization;

namespace NasSharp.Cli.Commands;

/// <summary>
/// The one place that validates count options of every command (budgets, sample counts, seeds, epochs, steps, limits):
/// each must be a whole number from 1 to <see cref="Counts.Max"/>, the rule the libraries apply too. A count of 0 or
/// below is refused at parse time (exit 2, naming the option), never replaced by a default. Options where 0 means
/// something (--show, --corrector-steps, --snapshot-every, --parallel, --proxy-sample, --delay-ms, --torch-threads) are
/// not counts in this sense and keep their own checks.
/// </summary>
public static class CountOptions
{
    /// <summary>Option names (any alias) whose value is a count.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "--budget", "--count", "-n", "--seeds", "--epochs", "--train-epochs", "--steps", "--evaluations", "--candidates",
        "--sample", "--top", "-k", "--members", "--archs", "--batch", "--batch-size", "--limit", "--train-limit",
        "--test-limit", "--stop-after", "--max-attempts",
    };

    /// <summary>Adds the count validator to every int option named in <see cref="Names"/>, in <paramref name="command"/> and below.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
            if (IsCount(option)) option.Validators.Add(Validate);
        foreach (var sub in command.Subcommands) Apply(sub);
    }

    private static bool IsCount(Option option) =>
        option.ValueType == typeof(int) || option.ValueType == typeof(int?)
            ? Names.Contains(option.Name) || option.Aliases.Any(Names.Contains)
            : false;

    private static void Validate(System.CommandLine.Parsing.OptionResult result)
    {
        if (result.Implicit || result.Tokens.Count == 0) return; // the default value, not user input
        var text = result.Tokens[^1].Value;
        // A value that is not an int at all is reported by the parser (ParseErrors), not twice here.
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)) return;
        if (v < 1 || v > Counts.Max)
            result.AddError(Counts.Describe(result.IdentifierToken?.Value ?? result.Option.Name, text));
    }
}
