namespace NasSharp.Data;

/// <summary>
/// Checks a path a command will write to before any work starts, so a long search or training never ends in "cannot
/// write the plot" with its results gone. One place for every output option (--out, --plot, --scores-out,
/// --checkpoint, --store …): the message names the option, the path and the fix.
/// </summary>
public static class OutputPath
{
    /// <summary>
    /// A file to be written: its directory must exist and accept a new file, the path must not be a directory, and an
    /// existing file must open for writing (it is not truncated here). Returns the full path.
    /// </summary>
    public static string CheckFile(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw Bad(option, path, "the path is empty");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { throw Bad(option, path, e.Message); }
        if (Directory.Exists(full)) throw Bad(option, path, "it is a directory; give a file name");
        var dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir)) throw Bad(option, path, $"directory '{dir}' does not exist; create it first");
        try
        {
            if (File.Exists(full))
            {
                // Open without truncating: an existing checkpoint, store or scores file must survive the check.
                using var _ = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            else ProbeDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Bad(option, path, e.Message); }
        return full;
    }

    /// <summary>
    /// A directory to be written into (created if missing, like `nas run --out`): it must not be a file, and a probe
    /// file must be creatable in it. Returns the full path.
    /// </summary>
    public static string CheckDirectory(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw Bad(option, path, "the path is empty");
        try
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full)) throw new IOException("it is a file, not a directory");
            Directory.CreateDirectory(full);
            ProbeDirectory(full);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { throw Bad(option, path, e.Message); }
    }

    /// <summary>The check as a message instead of an exception (null when the path is fine), for parse-time validators.</summary>
    public static string? FileProblem(string option, string path)
    {
        try { CheckFile(option, path); return null; }
        catch (NasInputException e) { return e.Message; }
    }

    /// <summary>Creates and deletes a uniquely named empty file: proves that a new file can be written there now.</summary>
    private static void ProbeDirectory(string dir)
    {
        var probe = Path.Combine(dir, $".nassharp-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        if (File.Exists(probe)) File.Delete(probe);
    }

    private static NasInputException Bad(string option, string path, string why) =>
        new($"{option} '{path}' cannot be written: {why}. Choose another {option}.");
}
