using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NasSharp.TgNas.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.TgNas.Model;

/// <summary>
/// A trained TG-NAS predictor: one GCN or an ensemble of GCNs of one <see cref="TgNasConfig"/>, always in eval mode
/// (BatchNorm running statistics, so a graph scores the same alone or in a batch). Scores are in the training label's
/// unit (predicted NB101 validation accuracy, %), averaged over the ensemble. Larger is better.
/// </summary>
public sealed class TgNasPredictor : IDisposable
{
    private const string Magic = "NASSHARP-TGNAS";
    /// <summary>2: the file ends with the SHA-256 of everything before it (<see cref="NasSharp.Data.ChecksummedFile"/>); 1: no checksum.</summary>
    public const int FormatVersion = 2;
    /// <summary>The weights shipped with the app (data/tgnas/ in the repository, copied next to the executable).</summary>
    public const string DefaultFileName = "tgnas-nb101.tgnas";
    /// <summary>Graphs per forward pass when scoring.</summary>
    public const int InferenceChunk = 1024;

    private static readonly JsonSerializerOptions HeaderJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    public TgNasPredictor(TgNasConfig config, IReadOnlyList<GcnNetwork> members, IReadOnlyDictionary<string, string>? info = null)
    {
        if (members.Count == 0) throw new ArgumentException("A predictor needs at least one network.");
        Config = config;
        Members = members;
        Info = info ?? new Dictionary<string, string>();
        foreach (var m in members) m.eval();
    }

    public TgNasConfig Config { get; }
    public IReadOnlyList<GcnNetwork> Members { get; }
    /// <summary>Provenance stored with the weights (training command, seed, data, held-out Kendall).</summary>
    public IReadOnlyDictionary<string, string> Info { get; }

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "tgnas", DefaultFileName);

    /// <summary>Predicted scores of an encoded batch, in the label's unit.</summary>
    public double[] Predict(GraphBatch batch, OperatorTable table)
    {
        if (batch.Nodes > Config.MaxNodes)
            throw new NasInputException($"A graph of {batch.Nodes} encoded nodes is larger than this TG-NAS model supports ({Config.MaxNodes}); use a smaller cell or a model trained with a larger max_nodes.");
        // Different architectures often give the same graph (data-flow graphs of equivalent cells): score each once.
        var (distinct, slot) = Distinct(batch);
        if (distinct.Count < batch.Count)
        {
            var scores = Predict(distinct, table);
            return slot.Select(i => scores[i]).ToArray();
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var t = tensor(table.Flatten(), [table.Rows, OperatorTable.Width]);
        var ops = tensor(batch.Ops, [batch.Count, batch.Nodes]);
        var adj = tensor(batch.Adjacency, [batch.Count, batch.Nodes, batch.Nodes]);
        var result = new double[batch.Count];
        // Chunks small enough that the (chunk·N, hidden) activations stay in cache and the allocator reuses them.
        for (long start = 0; start < batch.Count; start += InferenceChunk)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(InferenceChunk, batch.Count - start);
            var o = ops.narrow(0, start, len);
            var a = adj.narrow(0, start, len);
            Tensor sum = Members[0].Infer(t, o, a);
            for (int m = 1; m < Members.Count; m++) sum.add_(Members[m].Infer(t, o, a));
            var mean = sum.div_(Members.Count).to_type(ScalarType.Float64).data<double>();
            for (int i = 0; i < len; i++)
            {
                double v = Config.TargetMean + Config.TargetStd * mean[i];
                if (!double.IsFinite(v)) throw new InvalidOperationException("The TG-NAS model produced a non-finite score; the weights are corrupt.");
                result[start + i] = v;
            }
        }
        return result;
    }

    /// <summary>The batch's distinct graphs (same node rows and adjacency) and, per graph, its index among them.</summary>
    private static (GraphBatch Distinct, int[] Slot) Distinct(GraphBatch batch)
    {
        var rows = new Dictionary<int, int>(new GraphRowComparer(batch));
        var slot = new int[batch.Count];
        var keep = new List<int>();
        for (int b = 0; b < batch.Count; b++)
        {
            if (!rows.TryGetValue(b, out int s)) { s = keep.Count; rows[b] = s; keep.Add(b); }
            slot[b] = s;
        }
        if (keep.Count == batch.Count) return (batch, slot);
        int n = batch.Nodes, nn = n * n;
        var ops = new long[keep.Count * n];
        var adj = new float[keep.Count * nn];
        for (int k = 0; k < keep.Count; k++)
        {
            Array.Copy(batch.Ops, keep[k] * n, ops, k * n, n);
            Array.Copy(batch.Adjacency, keep[k] * nn, adj, k * nn, nn);
        }
        return (new GraphBatch(n, ops, adj), slot);
    }

    /// <summary>Compares graphs of one batch by index: equal node rows and equal adjacency.</summary>
    private sealed class GraphRowComparer(GraphBatch batch) : IEqualityComparer<int>
    {
        private readonly int _n = batch.Nodes, _nn = batch.Nodes * batch.Nodes;
        private ReadOnlySpan<long> Ops(int b) => batch.Ops.AsSpan(b * _n, _n);
        private ReadOnlySpan<float> Adj(int b) => batch.Adjacency.AsSpan(b * _nn, _nn);
        public bool Equals(int x, int y) => Ops(x).SequenceEqual(Ops(y)) && Adj(x).SequenceEqual(Adj(y));
        public int GetHashCode(int b)
        {
            var h = new HashCode();
            h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Ops(b)));
            h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Adj(b)));
            return h.ToHashCode();
        }
    }

    public void Save(string path) => NasSharp.Data.ChecksummedFile.Write(path, w =>
    {
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(JsonSerializer.Serialize(new Header(Config, Members.Count, Info), HeaderJson));
        foreach (var m in Members) m.save(w);
    });

    /// <summary>How to get good weights back, for every integrity error.</summary>
    private static string Restore(string path) =>
        $"Restore the file (the shipped one: git checkout -- data/tgnas/{DefaultFileName}, then rebuild) or retrain it with 'nas tgnas train --out {path}'.";

    /// <summary>
    /// Loads a weights file; a file of another format, sentence model or shape, a failed SHA-256 check or a non-finite weight
    /// is a <see cref="NasDataException"/> naming the file and the fix. Format-1 files (no checksum) are refused unless
    /// <paramref name="acceptUnchecked"/> (used by `nas weights upgrade` to re-save them).
    /// </summary>
    public static TgNasPredictor Load(string path, bool acceptUnchecked = false)
    {
        if (!File.Exists(path))
            throw new NasDataException($"TG-NAS weights file '{path}' not found; train one with 'nas tgnas train --out FILE' or rebuild the app so the shipped data/tgnas/{DefaultFileName} is copied next to it.");
        var all = File.ReadAllBytes(path);
        var body = all;
        Header header;
        BinaryReader r;
        try
        {
            r = new BinaryReader(new MemoryStream(all), Encoding.UTF8);
            if (r.ReadString() != Magic) throw new InvalidDataException();
            int version = r.ReadInt32();
            if (version == 1 && !acceptUnchecked)
                throw new NasDataException($"TG-NAS weights '{path}' are in format 1, which has no checksum; re-save them once with 'nas weights upgrade {path}' (it checks every weight) or retrain with 'nas tgnas train'.");
            if (version is not (1 or FormatVersion)) throw new NasDataException($"TG-NAS weights file '{path}' has format version {version}; this build reads version {FormatVersion}. Retrain with 'nas tgnas train'.");
            if (version == FormatVersion)
            {
                body = NasSharp.Data.ChecksummedFile.ReadBody(path, all, "TG-NAS weights", Restore(path));
                r = new BinaryReader(new MemoryStream(body), Encoding.UTF8);
                r.ReadString();
                r.ReadInt32();
            }
            header = JsonSerializer.Deserialize<Header>(r.ReadString(), HeaderJson) ?? throw new InvalidDataException();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException or IOException or FormatException)
        {
            throw new NasDataException($"'{path}' is not a TG-NAS weights file (written by 'nas tgnas train').", e);
        }
        var config = header.Config;
        if (config.EmbeddingModel != Text.MiniLmEncoder.ModelId)
            throw new NasDataException($"TG-NAS weights '{path}' were trained on '{config.EmbeddingModel}' embeddings; this build embeds with '{Text.MiniLmEncoder.ModelId}'. Retrain with 'nas tgnas train'.");
        if (config.InputWidth != OperatorTable.Width)
            throw new NasDataException($"TG-NAS weights '{path}' expect {config.InputWidth}-wide node features; this build produces {OperatorTable.Width}. Retrain with 'nas tgnas train'.");
        if (header.Members is < 1 or > 64) throw new NasDataException($"TG-NAS weights '{path}' declare {header.Members} networks; expected 1..64.");
        config.Validate();
        var members = new List<GcnNetwork>();
        try
        {
            for (int i = 0; i < header.Members; i++)
            {
                var m = new GcnNetwork(config);
                members.Add(m);
                m.load(r, strict: true);
                if (FirstNonFinite(m) is { } tensor)
                    throw new NasDataException($"TG-NAS weights '{path}' hold a non-finite value (NaN or ∞) in network {i}, tensor '{tensor}'; the file is corrupt. {Restore(path)}");
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("trailing bytes");
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException or IOException or NasDataException)
        {
            foreach (var m in members) m.Dispose();
            if (e is NasDataException) throw;
            throw new NasDataException($"TG-NAS weights '{path}' do not fit the declared model ({config.Layers} layers × {config.Hidden}): {e.Message}. The file is corrupt or from another model version.", e);
        }
        return new TgNasPredictor(config, members, header.Info);
    }

    /// <summary>The name of the first floating-point parameter or buffer with a NaN or ∞, or null.</summary>
    private static string? FirstNonFinite(nn.Module module)
    {
        foreach (var (name, t) in module.state_dict())
            if (t.is_floating_point() && !t.isfinite().all().item<bool>()) return name;
        return null;
    }

    public void Dispose()
    {
        foreach (var m in Members) m.Dispose();
    }

    private sealed record Header(TgNasConfig Config, int Members, IReadOnlyDictionary<string, string> Info);
}
