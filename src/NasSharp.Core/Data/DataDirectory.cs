namespace NasSharp.Data;

/// <summary>
/// Where external data (benchmark tables, image samples, third-party weights) is read from at run time:
/// the --data-dir option, else $NASSHARP_DATA, else a per-user default. Nothing external is shipped with NasSharp.
/// </summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "NASSHARP_DATA";

    /// <summary>$XDG_DATA_HOME/nassharp, else ~/.local/share/nassharp.</summary>
    public static string DefaultPath
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            var root = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
                : xdg;
            return Path.Combine(root, "nassharp");
        }
    }

    public static string Resolve(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(env) ? DefaultPath : Path.GetFullPath(env);
    }

    /// <summary>
    /// The full path of <paramref name="relativePath"/> under the data directory, or a <see cref="NasDataException"/> that
    /// says what is missing, where it was looked for and how to fix it.
    /// </summary>
    public static string RequireFile(string dataDirectory, string relativePath, string what)
    {
        var path = Path.Combine(dataDirectory, relativePath);
        if (File.Exists(path)) return path;
        throw new NasDataException(
            $"{what} not found: {path}. Point --data-dir or ${EnvironmentVariable} at a data directory that contains " +
            $"{relativePath} (layout, sources and licences: docs/data.md).");
    }
}
