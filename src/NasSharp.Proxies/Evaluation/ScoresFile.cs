using System.Text;
using System.Text.Json;

namespace NasSharp.Proxies.Evaluation;

/// <summary>What a scores file's rows were computed with; a resumed run or a merge must match it exactly.</summary>
public sealed record ScoresConfig(string Dataset, int Seed, int Batch, IReadOnlyList<string> Proxies)
{
    /// <summary>"option stored (now new)" for every field that differs; empty when the two configurations agree.</summary>
    public IReadOnlyList<string> Differences(ScoresConfig other)
    {
        var d = new List<string>();
        if (!Dataset.Equals(other.Dataset, StringComparison.OrdinalIgnoreCase)) d.Add($"--dataset {Dataset} (now {other.Dataset})");
        if (Seed != other.Seed) d.Add($"--seed {Seed} (now {other.Seed})");
        if (Batch != other.Batch) d.Add($"--batch {Batch} (now {other.Batch})");
        if (!Proxies.Order(StringComparer.Ordinal).SequenceEqual(other.Proxies.Order(StringComparer.Ordinal)))
            d.Add($"--proxies {string.Join(",", Proxies)} (now {string.Join(",", other.Proxies)})");
        return d;
    }
}

/// <summary>A scores file as read: its configuration (null in files written before it was recorded), its rows, and notes for the user.</summary>
public sealed record ScoresFileContent(string Path, ScoresConfig? Config, IReadOnlyList<ValidationScoreLine> Lines, IReadOnlyList<string> Notes)
{
    /// <summary>Bytes up to the end of the last complete line (a torn last line lies beyond it).</summary>
    public long CompleteLength { get; init; }
    /// <summary>The file's last complete line lacks its newline (it must get one before more lines are appended).</summary>
    public bool NeedsNewline { get; init; }
}

/// <summary>
/// The JSON-lines file of `nas proxy validate --scores-out`: a first line with the configuration
/// (<c>{"nassharp_scores":1,"dataset":…,"seed":…,"batch":…,"proxies":[…]}</c>), then one <see cref="ValidationScoreLine"/>
/// per scored architecture, flushed as it finishes. Files without the first line (older versions) are still read.
/// A last line cut short by a kill is dropped with a note; a damaged line anywhere else is an error naming the line.
/// </summary>
public static class ScoresFile
{
    private const string HeaderKey = "nassharp_scores";
    private const int FormatVersion = 1;

    public static string HeaderLine(ScoresConfig c) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        [HeaderKey] = FormatVersion, ["dataset"] = c.Dataset, ["seed"] = c.Seed, ["batch"] = c.Batch, ["proxies"] = c.Proxies,
    });

    public static ScoresFileContent Read(string path)
    {
        if (!File.Exists(path)) throw new NasInputException($"Scores file not found: {path}.");
        var text = File.ReadAllText(path, Encoding.UTF8);
        ScoresConfig? config = null;
        var lines = new List<ValidationScoreLine>();
        var notes = new List<string>();
        long complete = 0;
        bool needsNewline = false;
        int start = 0, number = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            bool terminated = end >= 0;
            string line = text[start..(terminated ? end : text.Length)];
            int next = terminated ? end + 1 : text.Length;
            number++;
            if (line.Trim().Length > 0)
            {
                try
                {
                    if (number == 1 && TryHeader(line, out var header)) config = header;
                    else lines.Add(ParseLine(line));
                }
                catch (Exception e) when (e is JsonException or InvalidDataException)
                {
                    if (terminated)
                        throw new NasDataException($"{path} line {number} is not a scores line ({e.Message}); delete that line (it is scored again with --resume) or delete the file.", e);
                    // Unterminated and unreadable: the line a killed run was writing. Dropping it loses one row, which --resume scores again.
                    notes.Add($"{path}: dropped the cut-off last line {number} (a run was stopped while writing it); its row is scored again.");
                    break;
                }
            }
            complete = Encoding.UTF8.GetByteCount(text.AsSpan(0, next));
            needsNewline = !terminated && line.Trim().Length > 0;
            start = next;
        }
        return new ScoresFileContent(path, config, lines, notes) { CompleteLength = complete, NeedsNewline = needsNewline };
    }

    /// <summary>
    /// Reads several files for one table: every file must have the same configuration, and it must be
    /// <paramref name="wanted"/>'s when that is given (the reference dataset the table compares with).
    /// </summary>
    public static (ScoresConfig? Config, IReadOnlyList<ValidationScoreLine> Lines, IReadOnlyList<string> Notes) ReadAll(IEnumerable<string> paths, string? dataset = null)
    {
        var contents = paths.Select(Read).ToList();
        var configured = contents.Where(c => c.Config is not null).ToList();
        var first = configured.FirstOrDefault();
        foreach (var c in configured.Skip(1))
            if (first!.Config!.Differences(c.Config!) is { Count: > 0 } d)
                throw new NasInputException($"{c.Path} was scored with another configuration than {first.Path}: {string.Join(", ", d)}; combine only files of one configuration.");
        if (first?.Config is { } cfg && dataset is not null && !cfg.Dataset.Equals(dataset, StringComparison.OrdinalIgnoreCase))
            throw new NasInputException($"{first.Path} holds {cfg.Dataset} scores, but --dataset is {dataset}; pass --dataset {cfg.Dataset}.");
        var notes = contents.SelectMany(c => c.Notes).ToList();
        if (configured.Count > 0 && configured.Count < contents.Count)
            notes.Add($"{string.Join(", ", contents.Where(c => c.Config is null).Select(c => c.Path))} record no configuration (older version); they are assumed to match {first!.Path}.");
        return (first?.Config, contents.SelectMany(c => c.Lines).ToList(), notes);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for a run with configuration <paramref name="wanted"/>. Without
    /// <paramref name="resume"/> the file must be absent or empty (a new file starts with the configuration line); with it
    /// the stored configuration must equal <paramref name="wanted"/>, a torn last line is cut off, and the rows already
    /// there are returned so they are not scored again.
    /// </summary>
    public static (StreamWriter Writer, ScoresFileContent Done) Open(string path, ScoresConfig wanted, bool resume)
    {
        var existing = File.Exists(path) && new FileInfo(path).Length > 0 ? Read(path) : null;
        if (existing is not null && !resume)
            throw new NasInputException($"--scores-out '{path}' already holds {existing.Lines.Count} scored row(s); pass --resume to continue it, or delete it (or choose another file) to start again.");
        if (existing is null)
        {
            var fresh = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true };
            fresh.WriteLine(HeaderLine(wanted));
            return (fresh, new ScoresFileContent(path, wanted, [], []));
        }
        CheckSameConfiguration(existing, wanted);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(existing.CompleteLength); // drops a torn last line, if any
        stream.Seek(0, SeekOrigin.End);
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        if (existing.NeedsNewline) writer.WriteLine();
        if (existing.Config is null && existing.Lines.Count == 0) writer.WriteLine(HeaderLine(wanted)); // only a torn first line was there
        return (writer, existing);
    }

    private static void CheckSameConfiguration(ScoresFileContent existing, ScoresConfig wanted)
    {
        if (existing.Config is { } stored)
        {
            if (stored.Differences(wanted) is { Count: > 0 } d)
                throw new NasInputException($"Cannot resume '{existing.Path}': it was scored with {string.Join(", ", d)}; resume with the file's options or write another --scores-out.");
            return;
        }
        // An older file: only the proxies can be checked (from the rows themselves).
        var proxies = existing.Lines.SelectMany(l => l.Scores.Keys).ToHashSet(StringComparer.Ordinal);
        if (existing.Lines.Count > 0 && !proxies.SetEquals(wanted.Proxies))
            throw new NasInputException($"Cannot resume '{existing.Path}': its rows hold --proxies {string.Join(",", proxies.Order(StringComparer.Ordinal))}, now {string.Join(",", wanted.Proxies)}; resume with the file's proxies or write another --scores-out.");
    }

    private static bool TryHeader(string line, out ScoresConfig? config)
    {
        config = null;
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(HeaderKey, out _)) return false;
        try
        {
            config = new ScoresConfig(root.GetProperty("dataset").GetString()!, root.GetProperty("seed").GetInt32(), root.GetProperty("batch").GetInt32(),
                root.GetProperty("proxies").EnumerateArray().Select(p => p.GetString()!).ToArray());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"damaged configuration line: {e.Message}");
        }
        return true;
    }

    private static ValidationScoreLine ParseLine(string line)
    {
        var l = JsonSerializer.Deserialize<ValidationScoreLine>(line);
        if (l is null || l.Arch is null || l.Scores is null || l.Seconds is null || l.Row < 0) throw new InvalidDataException("missing Row, Arch, Scores or Seconds");
        return l;
    }
}
