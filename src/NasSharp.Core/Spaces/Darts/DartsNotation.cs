using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NasSharp.Spaces.Darts;

/// <summary>
/// The string forms of a DARTS genotype:
/// <list type="bullet">
/// <item>Python genotype notation, as DARTS' genotypes.py and every DARTS-family repository print it:
/// <c>Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=range(2, 6))</c>
/// (single or double quotes; concat as a list or <c>range(a, b)</c>; whitespace and line breaks are free).</item>
/// <item>NB301 cell strings (the <c>normal</c>/<c>reduce</c> columns of zc_nb301.csv.gz): <c>op~input|op~input|...</c>, 8 entries;
/// a whole genotype is written <c>NORMAL;REDUCE</c>.</item>
/// <item>NASLib's compact key (the <c>arch_compact</c> column): two groups of 16 digits "input op" × 8 joined by '|',
/// op digit in NASLib's order 0 max_pool_3x3, 1 avg_pool_3x3, 2 skip_connect, 3 sep_conv_3x3, 4 sep_conv_5x5,
/// 5 dil_conv_3x3, 6 dil_conv_5x5.</item>
/// </list>
/// Parsing checks shape only (8 entries per cell, integer inputs); <see cref="DartsSpace.Validate"/> checks meaning.
/// </summary>
public static partial class DartsNotation
{
    /// <summary>NASLib's op order for the compact key (naslib/search_spaces/nasbench301/conversions.py).</summary>
    public static readonly IReadOnlyList<string> NaslibCompactOps =
        ["max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"];

    private const string Example =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...8 entries], normal_concat=[2, 3, 4, 5], reduce=[...8 entries], reduce_concat=[2, 3, 4, 5])";

    /// <summary>Parses any of the three forms (detected from the text).</summary>
    public static DartsGenotype Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new NasInputException($"Empty DARTS genotype. Expected {Example}, or NORMAL;REDUCE in NB301 'op~i|op~i|...' form.");
        var t = text.Trim();
        if (t.StartsWith("Genotype", StringComparison.Ordinal) || t.Contains("normal", StringComparison.Ordinal)) return ParsePython(t);
        if (CompactRegex().IsMatch(t)) return ParseCompact(t);
        if (t.Contains('~')) return ParseCellStrings(t);
        throw new NasInputException($"Cannot read '{Short(t)}' as a DARTS genotype. Expected {Example}, or NORMAL;REDUCE in NB301 'op~i|op~i|...' form, or NASLib's 16|16-digit compact key.");
    }

    /// <summary>Python genotype notation, e.g. <c>Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], ...)</c>.</summary>
    public static string FormatPython(DartsGenotype g)
    {
        var sb = new StringBuilder(400);
        sb.Append("Genotype(normal=");
        AppendEntries(sb, g.Normal);
        sb.Append(", normal_concat=[").Append(string.Join(", ", g.NormalConcat)).Append("], reduce=");
        AppendEntries(sb, g.Reduce);
        sb.Append(", reduce_concat=[").Append(string.Join(", ", g.ReduceConcat)).Append("])");
        return sb.ToString();
    }

    /// <summary>One cell in NB301 column form: <c>op~input|op~input|...</c>.</summary>
    public static string FormatCell(IReadOnlyList<DartsEntry> cell) => string.Join("|", cell.Select(e => $"{e.Op}~{e.Input}"));

    /// <summary>Both cells in NB301 column form joined by ';' (the concat lists are implied: [2, 3, 4, 5]).</summary>
    public static string FormatCellStrings(DartsGenotype g) => FormatCell(g.Normal) + ";" + FormatCell(g.Reduce);

    /// <summary>A genotype from the two NB301 cell strings (the <c>normal</c> and <c>reduce</c> columns of zc_nb301.csv.gz).</summary>
    public static DartsGenotype FromCellStrings(string normal, string reduce) =>
        new(ParseCell(normal, "normal"), ParseCell(reduce, "reduce"));

    private static DartsGenotype ParseCellStrings(string t)
    {
        var parts = t.Split(';');
        if (parts.Length != 2)
            throw new NasInputException($"DARTS cell strings '{Short(t)}' must be NORMAL;REDUCE (two cells separated by ';'), found {parts.Length} part(s).");
        return FromCellStrings(parts[0], parts[1]);
    }

    private static List<DartsEntry> ParseCell(string cell, string which)
    {
        var items = cell.Trim().Split('|', StringSplitOptions.TrimEntries);
        if (items.Length != DartsGenotype.EntriesPerCell)
            throw new NasInputException($"The {which} cell '{Short(cell)}' has {items.Length} entries; a DARTS cell has 8 'op~input' entries separated by '|'.");
        var result = new List<DartsEntry>(items.Length);
        foreach (var item in items)
        {
            var p = item.Split('~');
            if (p.Length != 2 || p[0].Length == 0 || !int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out var input))
                throw new NasInputException($"'{item}' in the {which} cell is not 'op~input' (e.g. sep_conv_3x3~0).");
            result.Add(new DartsEntry(p[0], input));
        }
        return result;
    }

    private static DartsGenotype ParseCompact(string t)
    {
        var cells = t.Split('|');
        List<DartsEntry> Cell(string digits, string which)
        {
            var list = new List<DartsEntry>(8);
            for (int i = 0; i < 16; i += 2)
            {
                int node = digits[i] - '0', op = digits[i + 1] - '0';
                if (op >= NaslibCompactOps.Count)
                    throw new NasInputException($"Compact DARTS key '{t}': op digit {op} in the {which} cell is not in 0..6 (NASLib order {string.Join(", ", NaslibCompactOps)}).");
                list.Add(new DartsEntry(NaslibCompactOps[op], node));
            }
            return list;
        }
        return new DartsGenotype(Cell(cells[0], "normal"), Cell(cells[1], "reduce"));
    }

    private static DartsGenotype ParsePython(string t)
    {
        var normal = CellList(t, "normal");
        var reduce = CellList(t, "reduce");
        return new DartsGenotype(normal, ConcatList(t, "normal_concat"), reduce, ConcatList(t, "reduce_concat"));
    }

    private static List<DartsEntry> CellList(string t, string key)
    {
        var m = Regex.Match(t, $@"\b{key}\s*=\s*\[(?<body>[^\]]*)\]");
        if (!m.Success) throw new NasInputException($"DARTS genotype '{Short(t)}' has no '{key}=[...]' list. Expected {Example}");
        var body = m.Groups["body"].Value;
        var entries = EntryRegex().Matches(body);
        // Everything in the list must be consumed by entries (and separators), so typos are not skipped silently.
        var rest = EntryRegex().Replace(body, "").Replace(",", "").Trim();
        if (rest.Length > 0) throw new NasInputException($"Cannot read '{Short(rest)}' in the {key} list of the DARTS genotype; entries look like ('sep_conv_3x3', 0).");
        if (entries.Count != DartsGenotype.EntriesPerCell)
            throw new NasInputException($"The {key} cell of the DARTS genotype has {entries.Count} entries; DARTS cells have 8 (two per intermediate node).");
        return entries.Select(e => new DartsEntry(e.Groups["op"].Value, int.Parse(e.Groups["in"].Value, CultureInfo.InvariantCulture))).ToList();
    }

    private static IReadOnlyList<int> ConcatList(string t, string key)
    {
        var m = Regex.Match(t, $@"\b{key}\s*=\s*(\[(?<list>[^\]]*)\]|range\(\s*(?<a>\d+)\s*,\s*(?<b>\d+)\s*\))");
        if (!m.Success) return DartsGenotype.FullConcat; // DARTS always concatenates all intermediate nodes; the field may be left out.
        if (m.Groups["a"].Success)
        {
            int a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture), b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            return Enumerable.Range(a, Math.Max(0, b - a)).ToArray();
        }
        var items = m.Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
            if (!int.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]))
                throw new NasInputException($"'{items[i]}' in {key} of the DARTS genotype is not a node number.");
        return result;
    }

    private static void AppendEntries(StringBuilder sb, IReadOnlyList<DartsEntry> cell)
    {
        sb.Append('[');
        for (int i = 0; i < cell.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append("('").Append(cell[i].Op).Append("', ").Append(cell[i].Input).Append(')');
        }
        sb.Append(']');
    }

    private static string Short(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"\(\s*['""](?<op>[A-Za-z0-9_]+)['""]\s*,\s*(?<in>\d+)\s*\)")]
    private static partial Regex EntryRegex();

    [GeneratedRegex(@"^\d{16}\|\d{16}$")]
    private static partial Regex CompactRegex();
}
