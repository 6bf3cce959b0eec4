namespace NasSharp;

/// <summary>Progress of a long-running library call; libraries report it through <c>IProgress&lt;ProgressInfo&gt;</c> and the CLI renders it.</summary>
public readonly record struct ProgressInfo(long Done, long Total, string? Status = null);
