using System.Collections.Concurrent;
using System.Globalization;

namespace NasSharp.TgNas.Text;

/// <summary>
/// Operator embeddings by description. Descriptions are few and fixed, so each is encoded once: in memory per process,
/// and in a small text file keyed by model id + text (default ~/.cache/nassharp/tgnas-embeddings.tsv, or
/// $NASSHARP_CACHE), so later runs never load the 91 MB MiniLM model unless a description is new.
/// </summary>
public sealed class EmbeddingCache
{
    public const string CacheEnvironmentVariable = "NASSHARP_CACHE";
    private readonly ConcurrentDictionary<string, float[]> _memory = new(StringComparer.Ordinal);
    private readonly string? _file;
    private readonly Func<MiniLmEncoder> _encoderFactory;
    private readonly object _lock = new();
    private MiniLmEncoder? _encoder;

    /// <param name="file">Cache file; null keeps the cache in memory only.</param>
    /// <param name="encoderFactory">How to get an encoder when a text is not cached (default: the MiniLM next to the app).</param>
    public EmbeddingCache(string? file, Func<MiniLmEncoder>? encoderFactory = null)
    {
        _file = file;
        _encoderFactory = encoderFactory ?? (() => MiniLmEncoder.Load());
        if (_file is not null) ReadFile(_file);
    }

    /// <summary>The process-wide cache over the default file.</summary>
    public static EmbeddingCache Shared { get; } = new(DefaultFile());

    public static string DefaultFile()
    {
        var dir = Environment.GetEnvironmentVariable(CacheEnvironmentVariable);
        if (string.IsNullOrEmpty(dir))
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nassharp");
        return Path.Combine(dir, "tgnas-embeddings.tsv");
    }

    /// <summary>How many texts the encoder has actually been run on in this process (tests check it stays small).</summary>
    public int EncoderCalls { get; private set; }

    public float[] Get(string text) => GetMany([text])[0];

    /// <summary>Embeddings of <paramref name="texts"/> in order; the missing ones are encoded in one batch and stored.</summary>
    public float[][] GetMany(IReadOnlyList<string> texts)
    {
        var missing = texts.Where(t => !_memory.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            lock (_lock)
            {
                missing = missing.Where(t => !_memory.ContainsKey(t)).ToList();
                if (missing.Count > 0)
                {
                    _encoder ??= _encoderFactory();
                    var vectors = _encoder.Encode(missing);
                    EncoderCalls += missing.Count;
                    for (int i = 0; i < missing.Count; i++) _memory[missing[i]] = vectors[i];
                    AppendFile(missing, vectors);
                }
            }
        return texts.Select(t => _memory[t]).ToArray();
    }

    private void ReadFile(string file)
    {
        if (!File.Exists(file)) return;
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split('\t');
                if (parts.Length != 3 || parts[0] != MiniLmEncoder.ModelId) continue;
                var values = parts[2].Split(' ');
                if (values.Length != MiniLmEncoder.Dimension) continue;
                var v = new float[values.Length];
                bool ok = true;
                for (int i = 0; i < v.Length && ok; i++)
                    ok = float.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && float.IsFinite(v[i]);
                if (ok) _memory[Unescape(parts[1])] = v;
            }
        }
        catch (IOException) { } // a cache that cannot be read is just a cold cache
        catch (UnauthorizedAccessException) { }
    }

    private void AppendFile(IReadOnlyList<string> texts, float[][] vectors)
    {
        if (_file is null) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
            using var w = File.AppendText(_file);
            for (int i = 0; i < texts.Count; i++)
                w.WriteLine($"{MiniLmEncoder.ModelId}\t{Escape(texts[i])}\t{string.Join(' ', vectors[i].Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}");
        }
        catch (IOException) { } // read-only home: keep working from memory
        catch (UnauthorizedAccessException) { }
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n");
    private static string Unescape(string s) => s.Replace("\\n", "\n").Replace("\\t", "\t").Replace("\\\\", "\\");
}
