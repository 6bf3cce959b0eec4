using System.Globalization;

namespace NasSharp;

/// <summary>
/// The one rule for counts a user gives (budgets, sample counts, seeds, epochs, steps): a whole number from 1 to
/// <see cref="Max"/>. Zero or a negative count is never replaced by a default, and the upper bound keeps memory and run
/// time finite: everything NasSharp keeps per evaluation or per generated architecture (trials, trajectories, distinct
/// architectures for the report) grows with the count, and a million is already hours of CPU for every method here.
/// The CLI applies the same rule to its options (CountOptions) so a library call and a command refuse the same values.
/// </summary>
public static class Counts
{
    /// <summary>The largest count any option or library call accepts.</summary>
    public const int Max = 1_000_000;

    /// <summary>Returns <paramref name="value"/> when it is in 1..<paramref name="max"/>, else throws naming <paramref name="what"/>.</summary>
    public static int Require(string what, long value, int max = Max)
    {
        if (value >= 1 && value <= max) return (int)value;
        throw new NasInputException(Describe(what, value.ToString(CultureInfo.InvariantCulture), max));
    }

    /// <summary>The error line for a count outside 1..max (shared with the CLI's option validator).</summary>
    public static string Describe(string what, string given, int max = Max) =>
        $"{what} must be a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)}, got {given}" +
        (long.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v > max
            ? $" (larger counts are refused: memory and run time grow with the count; split the work, e.g. over several seeds)."
            : ".");
}
