using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Graphs;

/// <summary>
/// The node-feature table: row 0 = padding (all zeros), row 1 = the global node (zeros + flag 1), then one row per
/// operator description = its 384-d MiniLM embedding + flag 0 (width 385, spec §3.1). Graphs store row indices, so
/// the embeddings are looked up once per description, never per architecture.
/// </summary>
public sealed class OperatorTable
{
    public const int PadRow = 0, GlobalRow = 1;
    public const int Width = MiniLmEncoder.Dimension + 1;

    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private readonly List<float[]> _vectors = [];

    public OperatorTable(IEnumerable<string> descriptions, EmbeddingCache cache)
    {
        var list = descriptions.Distinct(StringComparer.Ordinal).ToList();
        var embeddings = cache.GetMany(list);
        _vectors.Add(new float[Width]);
        var global = new float[Width];
        global[Width - 1] = 1f;
        _vectors.Add(global);
        for (int i = 0; i < list.Count; i++)
        {
            var row = new float[Width];
            Array.Copy(embeddings[i], row, MiniLmEncoder.Dimension);
            _rows[list[i]] = _vectors.Count;
            _vectors.Add(row);
        }
    }

    public int Rows => _vectors.Count;
    public IReadOnlyList<string> Descriptions => _rows.Keys.ToList();

    public int RowOf(string description) => _rows.TryGetValue(description, out var r) ? r
        : throw new NasInputException($"The description '{description}' is not in the operator table; describe the operator with --op.");

    /// <summary>Row-major (Rows × Width) values.</summary>
    public float[] Flatten() => _vectors.SelectMany(v => v).ToArray();

    public float[] Row(int row) => (float[])_vectors[row].Clone();
}
