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
    public const int FormatVersion = 1;
    /// <summary>The weights shipped with the app (data/tgnas/ in the repository, copied next to the executable).</summary>
    public const string DefaultFileName = "tgnas-nb101.tgnas";

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
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var t = tensor(table.Flatten(), [table.Rows, OperatorTable.Width]);
        var ops = tensor(batch.Ops, [batch.Count, batch.Nodes]);
        var adj = tensor(batch.Adjacency, [batch.Count, batch.Nodes, batch.Nodes]);
        Tensor sum = zeros(batch.Count);
        foreach (var m in Members) sum = sum + m.Forward(t, ops, adj);
        var mean = (sum / Members.Count).to_type(ScalarType.Float64).data<double>().ToArray();
        var result = new double[mean.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            result[i] = Config.TargetMean + Config.TargetStd * mean[i];
            if (!double.IsFinite(result[i])) throw new InvalidOperationException("The TG-NAS model produced a non-finite score; the weights are corrupt.");
        }
        return result;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(JsonSerializer.Serialize(new Header(Config, Members.Count, Info), HeaderJson));
        foreach (var m in Members) m.save(w);
    }

    /// <summary>Loads a weights file; a file of another format, sentence model or shape is a <see cref="NasInputException"/>.</summary>
    public static TgNasPredictor Load(string path)
    {
        if (!File.Exists(path))
            throw new NasDataException($"TG-NAS weights file '{path}' not found; train one with 'nas tgnas train --out FILE' or rebuild the app so the shipped data/tgnas/{DefaultFileName} is copied next to it.");
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        Header header;
        try
        {
            if (r.ReadString() != Magic) throw new InvalidDataException();
            int version = r.ReadInt32();
            if (version != FormatVersion) throw new NasDataException($"TG-NAS weights file '{path}' has format version {version}; this build reads version {FormatVersion}. Retrain with 'nas tgnas train'.");
            header = JsonSerializer.Deserialize<Header>(r.ReadString(), HeaderJson) ?? throw new InvalidDataException();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException or IOException)
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
                m.load(r, strict: true);
                members.Add(m);
            }
            if (stream.Position != stream.Length) throw new InvalidDataException("trailing bytes");
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException or IOException)
        {
            foreach (var m in members) m.Dispose();
            throw new NasDataException($"TG-NAS weights '{path}' do not fit the declared model ({config.Layers} layers × {config.Hidden}): {e.Message}. The file is corrupt or from another model version.", e);
        }
        return new TgNasPredictor(config, members, header.Info);
    }

    public void Dispose()
    {
        foreach (var m in Members) m.Dispose();
    }

    private sealed record Header(TgNasConfig Config, int Members, IReadOnlyDictionary<string, string> Info);
}
