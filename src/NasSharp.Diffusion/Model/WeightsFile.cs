using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NasSharp.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// The file format of our DiffusionNAG weights: magic, format version, kind ("score" or "predictor"), a JSON header
/// (space, sizes, σ schedule, provenance), TorchSharp's own state-dict bytes and the SHA-256 of all of that. Any mismatch is a clear
/// <see cref="NasInputException"/> naming the file and the fix.
/// </summary>
internal static class WeightsFile
{
    private const string Magic = "NASSHARP-DIFFUSIONNAG";
    /// <summary>2: the file ends with the SHA-256 of everything before it (<see cref="ChecksummedFile"/>); 1: no checksum.</summary>
    public const int FormatVersion = 2;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Save<THeader>(string path, string kind, THeader header, nn.Module module) => ChecksummedFile.Write(path, w =>
    {
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(kind);
        w.Write(JsonSerializer.Serialize(header, Json));
        module.save(w);
    });

    private static string Command(string kind) => kind == "score" ? "train" : "train-predictor";

    /// <summary>How to get good weights back, for every integrity error.</summary>
    private static string Restore(string path, string kind) =>
        $"Restore the file (a shipped one: git checkout -- data/diffusion/{Path.GetFileName(path)}, then rebuild) or retrain it with 'nas diffusion {Command(kind)} --out {path}'.";

    /// <summary>The kind ("score" or "predictor") a DiffusionNAG weights file declares, or null when it is not one.</summary>
    public static string? ReadKind(string path)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), System.Text.Encoding.UTF8);
            if (r.ReadString() != Magic) return null;
            r.ReadInt32();
            return r.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException) { return null; }
    }

    /// <summary>
    /// Reads the header, checks kind and space, builds the module with <paramref name="create"/> and loads its weights. A
    /// failed SHA-256 check or a non-finite weight is a <see cref="NasDataException"/> naming the file and the fix; format-1
    /// files (no checksum) are refused unless <paramref name="acceptUnchecked"/> (`nas weights upgrade` re-saves them).
    /// </summary>
    public static (THeader Header, TModule Module) Load<THeader, TModule>(string path, string kind, string? expectedSpace,
        Func<THeader, string> spaceOf, Func<THeader, TModule> create, bool acceptUnchecked = false) where TModule : nn.Module
    {
        if (!File.Exists(path))
            throw new NasDataException($"DiffusionNAG {kind} weights '{path}' not found; train them with 'nas diffusion {Command(kind)} --out FILE' or rebuild the app so the shipped data/diffusion files are copied next to it.");
        var all = File.ReadAllBytes(path);
        BinaryReader r;
        THeader header;
        try
        {
            r = new BinaryReader(new MemoryStream(all), System.Text.Encoding.UTF8);
            if (r.ReadString() != Magic) throw new InvalidDataException();
            int version = r.ReadInt32();
            if (version == 1 && !acceptUnchecked)
                throw new NasDataException($"DiffusionNAG weights '{path}' are in format 1, which has no checksum; re-save them once with 'nas weights upgrade {path}' (it checks every weight) or retrain with 'nas diffusion {Command(kind)}'.");
            if (version is not (1 or FormatVersion))
                throw new NasDataException($"DiffusionNAG weights '{path}' have format version {version}; this build reads version {FormatVersion}. Retrain them with 'nas diffusion {Command(kind)}'.");
            if (version == FormatVersion)
            {
                r = new BinaryReader(new MemoryStream(ChecksummedFile.ReadBody(path, all, $"DiffusionNAG {kind} weights", Restore(path, kind))), System.Text.Encoding.UTF8);
                r.ReadString();
                r.ReadInt32();
            }
            var fileKind = r.ReadString();
            if (fileKind != kind)
                throw new NasInputException($"'{path}' holds DiffusionNAG {fileKind} weights, but {kind} weights are needed here; pass the other file.");
            header = JsonSerializer.Deserialize<THeader>(r.ReadString(), Json) ?? throw new InvalidDataException();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException or IOException or NotSupportedException or FormatException)
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
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("trailing bytes");
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException or IOException)
        {
            module.Dispose();
            throw new NasDataException($"DiffusionNAG weights '{path}' do not fit the model their header declares ({e.Message}); the file is corrupt or from another version. Retrain it.", e);
        }
        foreach (var (name, t) in module.state_dict())
            if (t.is_floating_point() && !t.isfinite().all().item<bool>())
            {
                module.Dispose();
                throw new NasDataException($"DiffusionNAG {kind} weights '{path}' hold a non-finite value (NaN or ∞) in tensor '{name}'; the file is corrupt. {Restore(path, kind)}");
            }
        return (header, module);
    }
}
