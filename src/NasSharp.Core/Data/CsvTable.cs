using System.Globalization;
using System.IO.Compression;

namespace NasSharp.Data;

/// <summary>
/// A small reader for the data directory's CSV tables (optionally gzip-compressed; no quoting, empty field = missing).
/// Every failure becomes a <see cref="NasDataException"/> naming the file, row and column.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, string[] header, List<string[]> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _columns = header.Select((h, i) => (h, i)).ToDictionary(t => t.h, t => t.i, StringComparer.Ordinal);
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    public static CsvTable Load(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream);
            var headerLine = reader.ReadLine() ?? throw Corrupt(path, "it is empty");
            var header = headerLine.Split(',');
            var rows = new List<string[]>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.Length == 0) continue;
                var fields = line.Split(',');
                if (fields.Length != header.Length)
                    throw Corrupt(path, $"data row {rows.Count + 1} has {fields.Length} fields, the header has {header.Length}");
                rows.Add(fields);
            }
            return new CsvTable(path, header, rows);
        }
        catch (InvalidDataException e) { throw Corrupt(path, "it is not a valid gzip file (" + e.Message + ")", e); }
        catch (IOException e) when (e is not FileNotFoundException) { throw Corrupt(path, e.Message, e); }
    }

    public int Column(string name) =>
        _columns.TryGetValue(name, out var i) ? i : throw Corrupt(Path, $"it has no column '{name}'");

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>A numeric column; empty fields become NaN (missing), unparsable ones are an error.</summary>
    public double[] Numbers(string column)
    {
        int c = Column(column);
        var values = new double[Rows.Count];
        for (int r = 0; r < Rows.Count; r++)
        {
            var s = Rows[r][c];
            if (s.Length == 0) { values[r] = double.NaN; continue; }
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out values[r]))
                throw Corrupt(Path, $"row {r + 1}, column '{column}': '{s}' is not a number");
        }
        return values;
    }

    public string[] Strings(string column)
    {
        int c = Column(column);
        return Rows.Select(r => r[c]).ToArray();
    }

    internal static NasDataException Corrupt(string path, string why, Exception? inner = null) =>
        new($"Data file {path} is corrupt: {why}. Replace it with a fresh copy (see docs/data.md).", inner);
}
