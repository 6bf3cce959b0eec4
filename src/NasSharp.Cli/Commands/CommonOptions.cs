using System.CommandLine;
using NasSharp.Data;

namespace NasSharp.Cli.Commands;

/// <summary>Options several commands share, with the same names and help everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Space(string defaultValue = "nb201") => new("--space")
    {
        Description = $"Search space ({string.Join(", ", NasSharp.Spaces.SearchSpaces.All.Select(s => s.Name))}).",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>A user-defined space read from a JSON file (docs/spaces.md); takes precedence over --space.</summary>
    public static Option<string?> SpaceFile() => new("--space-file")
    {
        Description = "A user-defined cell space (JSON, see docs/spaces.md and docs/examples/user_space.json); used instead of --space.",
    };

    /// <summary>The space a command works on: --space-file when given (loaded, validated and registered), else --space.</summary>
    public static NasSharp.Spaces.ISearchSpace ResolveSpace(ParseResult r, Option<string> space, Option<string?> spaceFile) =>
        NasSharp.Spaces.UserDefined.UserSpaces.Resolve(r.GetValue(space), r.GetValue(spaceFile));

    public static Option<int> Seed() => new("--seed") { Description = "Random seed; the same seed gives the same result.", DefaultValueFactory = _ => 0 };

    public static Option<string> Dataset(string defaultValue = "cifar10") => new("--dataset")
    {
        Description = "Dataset of the benchmark (cifar10, cifar100, imagenet16-120).",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>
    /// An option naming a file the command writes (--plot, --checkpoint, --scores-out, --out, --store …). The path is
    /// checked when the command line is parsed, before any work: its directory exists, it is not a directory, and it can
    /// be written (<see cref="OutputPath.CheckFile"/>), so a bad path is exit 2 naming the option instead of a failure
    /// after the results are computed.
    /// </summary>
    public static Option<string?> OutputFile(string name, string description, bool required = false)
    {
        var option = new Option<string?>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && OutputPath.FileProblem(name, path) is { } problem) result.AddError(problem);
        });
        return option;
    }

    /// <summary>
    /// A real-valued option that must be a finite number at least <paramref name="min"/> (above it when
    /// <paramref name="exclusive"/>), checked at parse time: NaN, ±Infinity and out-of-range values are exit 2 naming the
    /// option, instead of a run that diverges later and blames something else.
    /// </summary>
    public static Option<double> Number(string name, string description, double defaultValue, double min = 0, bool exclusive = false, double max = double.PositiveInfinity)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.Implicit) return;
            double v = result.GetValueOrDefault<double>();
            bool ok = double.IsFinite(v) && (exclusive ? v > min : v >= min) && v <= max;
            if (!ok)
            {
                string range = (exclusive ? $"above {Fmt(min)}" : $"at least {Fmt(min)}") + (double.IsFinite(max) ? $" and at most {Fmt(max)}" : "");
                result.AddError($"{name} must be a finite number {range}, got {Fmt(v)}.");
            }
        });
        return option;
    }

    private static string Fmt(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A study name in a run store (--study): refused at parse time when empty, blank or holding control characters
    /// (a name is printed by `nas runs list`, so it must not carry terminal escape sequences).
    /// </summary>
    public static Option<string?> Study(string description)
    {
        var option = new Option<string?>("--study") { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not { } name) return;
            if (string.IsNullOrWhiteSpace(name)) result.AddError("--study must not be empty; give a name, or leave --study out for the default STRATEGY-SPACE-DATASET-sSEED.");
            else if (name.Any(char.IsControl)) result.AddError("--study must not contain control characters (tabs, newlines, escape sequences); choose a plain name.");
        });
        return option;
    }
}
