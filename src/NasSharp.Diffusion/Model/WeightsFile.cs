using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// The file format of our DiffusionNAG weights: magic, format version, kind ("score" or "predictor"), a JSON header
/// (space, sizes, σ schedule, provenance) and TorchSharp's own state-dict bytes. Any mismatch is a clear
/// <see cref="NasInputException"/> naming the file and the fix.
/// </summary>
internal static class WeightsFile
{
    private const string Magic = "NASSHARP-DIFFUSIONNAG";
    public const int FormatVersion = 1;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Save<THeader>(string path, string kind, THeader header, nn.Module module)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(kind);
        w.Write(JsonSerializer.Serialize(header, Json));
        module.save(w);
    }

    /// <summary>Reads the header, checks kind and space, builds the module with <paramref name="create"/> and loads its weights.</summary>
    public static (THeader Header, TModule Module) Load<THeader, TModule>(string path, string kind, string? expectedSpace,
        Func<THeader, string> spaceOf, Func<THeader, TModule> create) where TModule : nn.Module
    {
        if (!File.Exists(path))
            throw new NasInputException($"DiffusionNAG {kind} weights '{path}' not found; train them with 'nas diffusion {(kind == "score" ? "train" : "train-predictor")} --out FILE' or rebuild the app so the shipped data/diffusion files are copied next to it.");
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8);
        THeader header;
        try
        {
            if (r.ReadString() != Magic) throw new InvalidDataException();
            int version = r.ReadInt32();
            if (version != FormatVersion)
                throw new NasInputException($"DiffusionNAG weights '{path}' have format version {version}; this build reads version {FormatVersion}. Retrain them with 'nas diffusion train'.");
            var fileKind = r.ReadString();
            if (fileKind != kind)
                throw new NasInputException($"'{path}' holds DiffusionNAG {fileKind} weights, but {kind} weights are needed here; pass the other file.");
            header = JsonSerializer.Deserialize<THeader>(r.ReadString(), Json) ?? throw new InvalidDataException();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException or IOException or NotSupportedException)
        {
            throw new NasInputException($"'{path}' is not a DiffusionNAG weights file (written by 'nas diffusion train').", e);
        }
        var space = spaceOf(header);
        if (expectedSpace is not null && !string.Equals(space, expectedSpace, StringComparison.OrdinalIgnoreCase))
            throw new NasInputException($"DiffusionNAG weights '{path}' were trained for space '{space}', not '{expectedSpace}'; use --space {space} or weights trained for {expectedSpace}.");
        var module = create(header);
        try
        {
            module.load(r, strict: true);
            if (stream.Position != stream.Length) throw new InvalidDataException("trailing bytes");
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException or IOException)
        {
            module.Dispose();
            throw new NasInputException($"DiffusionNAG weights '{path}' do not fit the model their header declares ({e.Message}); the file is corrupt or from another version. Retrain it.", e);
        }
        return (header, module);
    }
}
