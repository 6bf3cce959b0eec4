using System.CommandLine;

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
}
