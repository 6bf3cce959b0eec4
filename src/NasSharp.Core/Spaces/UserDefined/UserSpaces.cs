namespace NasSharp.Spaces.UserDefined;

/// <summary>
/// What <c>--space-file</c> does for a command: load the definition, register it under its name (so architectures whose
/// <see cref="Architecture.Space"/> names it resolve through <see cref="SearchSpaces.Get"/>), and return it.
/// </summary>
public static class UserSpaces
{
    /// <summary>The space of <paramref name="spaceFile"/> when given (registered), else the registered space <paramref name="spaceName"/>.</summary>
    public static ISearchSpace Resolve(string? spaceName, string? spaceFile)
    {
        if (string.IsNullOrWhiteSpace(spaceFile))
            return SearchSpaces.Get(spaceName ?? throw new NasInputException("Give --space or --space-file."));
        var space = UserSpace.Load(spaceFile);
        SearchSpaces.Register(space);
        return space;
    }
}
