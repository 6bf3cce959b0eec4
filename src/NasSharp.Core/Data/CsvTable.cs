using System.Globalization;
using System.IO.Compression;

namespace NasSharp.Data;

/// <summary>
/// A column-oriented reader for the data directory's CSV tables (optionally gzip-compressed; no quoting, empty field =
/// missing). Only the requested columns are kept — numbers parsed straight from the line into double[] (NaN = missing) —
/// so a 15,625 × 34 table loads in tens of milliseconds and a few MB. Every failure is a <see cref="NasDataException"/>
/// naming the file, row and column.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, double[]> _numbers;
    private readonly Dictionary<string, string[]> _strings;

    private CsvTable(string path, string[] header, int rows, Dictionary<string, double[]> numbers, Dictionary<string, string[]> strings)
    {
        Path = path; Header = header; RowCount = rows; _numbers = numbers; _strings = strings;
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public int RowCount { get; }

    /// <summary>Loads every column as text (for small tables and tests).</summary>
    public static CsvTable Load(string path) => Load(path, [], null);

    /// <summary>Loads the given numeric and text columns; <paramref name="text"/> = null keeps every other column as text.</summary>
    public static CsvTable Load(string path, IReadOnlyCollection<string> numeric, IReadOnlyCollection<string>? text)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, bufferSize: 1 << 16);
            var header = (reader.ReadLine() ?? throw Corrupt(path, "it is empty")).Split(',');
            int IndexOf(string c) => Array.IndexOf(header, c) is var i and >= 0 ? i : throw Corrupt(path, $"it has no column '{c}'");
            var numIdx = numeric.Select(IndexOf).ToArray();
            var textNames = text ?? header.Where(h => !numeric.Contains(h)).ToArray();
            var textIdx = textNames.Select(IndexOf).ToArray();
            var num = numIdx.Select(_ => new List<double>()).ToArray();
            var txt = textIdx.Select(_ => new List<string>()).ToArray();
            // field position -> (kind, slot): kind 1 numeric, 2 text
            var kind = new int[header.Length]; var slot = new int[header.Length];
            for (int k = 0; k < numIdx.Length; k++) { kind[numIdx[k]] = 1; slot[numIdx[k]] = k; }
            for (int k = 0; k < textIdx.Length; k++) { kind[textIdx[k]] = 2; slot[textIdx[k]] = k; }

            int rows = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.Length == 0) continue;
                rows++;
                int field = 0, start = 0;
                var span = line.AsSpan();
                for (int pos = 0; pos <= span.Length; pos++)
                {
                    if (pos < span.Length && span[pos] != ',') continue;
                    if (field >= header.Length) throw Corrupt(path, $"data row {rows} has more fields than the header's {header.Length}");
                    var value = span[start..pos];
                    if (kind[field] == 1)
                    {
                        double d = double.NaN;
                        if (!value.IsEmpty && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
                            throw Corrupt(path, $"row {rows}, column '{header[field]}': '{value}' is not a number");
                        num[slot[field]].Add(d);
                    }
                    else if (kind[field] == 2) txt[slot[field]].Add(value.ToString());
                    field++; start = pos + 1;
                }
                if (field != header.Length) throw Corrupt(path, $"data row {rows} has {field} fields, the header has {header.Length}");
            }
            return new CsvTable(path, header, rows,
                numeric.Zip(num).ToDictionary(t => t.First, t => t.Second.ToArray()),
                textNames.Zip(txt).ToDictionary(t => t.First, t => t.Second.ToArray()));
        }
        catch (InvalidDataException e) { throw Corrupt(path, "it is not a valid gzip file (" + e.Message + ")", e); }
        catch (IOException e) when (e is not FileNotFoundException) { throw Corrupt(path, e.Message, e); }
    }

    public bool HasColumn(string name) => Header.Contains(name);

    /// <summary>A numeric column loaded as such (NaN = missing), or a text column parsed now.</summary>
    public double[] Numbers(string column)
    {
        if (_numbers.TryGetValue(column, out var values)) return values;
        var text = Strings(column);
        var parsed = new double[text.Length];
        for (int r = 0; r < text.Length; r++)
        {
            if (text[r].Length == 0) { parsed[r] = double.NaN; continue; }
            if (!double.TryParse(text[r], NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[r]))
                throw Corrupt(Path, $"row {r + 1}, column '{column}': '{text[r]}' is not a number");
        }
        return parsed;
    }

    public string[] Strings(string column) =>
        _strings.TryGetValue(column, out var values) ? values : throw Corrupt(Path, $"it has no text column '{column}'");

    internal static NasDataException Corrupt(string path, string why, Exception? inner = null) =>
        new($"Data file {path} is corrupt: {why}. Replace it with a fresh copy (see docs/data.md).", inner);
}
