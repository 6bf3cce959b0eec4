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

    public static Option<int> Seed() => new("--seed") { Description = "Random seed; the same seed gives the same result.", DefaultValueFactory = _ => 0 };

    public static Option<string> Dataset(string defaultValue = "cifar10") => new("--dataset")
    {
        Description = "Dataset of the benchmark (cifar10, cifar100, imagenet16-120).",
        DefaultValueFactory = _ => defaultValue,
    };
}
