using NasSharp.Spaces;

namespace NasSharp.Generation;

/// <summary>
/// Generates architectures of a space (e.g. DiffusionNAG's guided graph diffusion). Unlike a strategy it proposes
/// many candidates at once, optionally steered towards a target.
/// </summary>
public interface IArchitectureGenerator
{
    ISearchSpace Space { get; }
    IReadOnlyList<Architecture> Generate(GenerationRequest request);
}

/// <summary>
/// How many to generate, with which seed, and optional guidance: the dataset to aim at and the guidance scale
/// (0 = unguided).
/// </summary>
public sealed record GenerationRequest(int Count, int Seed, string? TargetDataset = null, double GuidanceScale = 0);
