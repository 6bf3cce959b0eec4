namespace NasSharp.Spaces;

/// <summary>
/// One operation of a search space. <see cref="Description"/> is a short English sentence: TG-NAS embeds it with a
/// sentence transformer, so ops that do the same thing should be described in the same words across spaces.
/// </summary>
public sealed record OperationInfo(string Name, string Description);
