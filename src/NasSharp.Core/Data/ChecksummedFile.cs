using System.Security.Cryptography;
using System.Text;

namespace NasSharp.Data;

/// <summary>
/// The integrity layer of NasSharp's own weights files (.tgnas, .dnag, format version 2): the file is its body (magic,
/// version, header, tensors) followed by the SHA-256 of that body. <see cref="Write"/> builds the body in memory and writes
/// body + hash through a temporary file (an interrupted save leaves the old file); <see cref="ReadBody"/> checks the hash
/// before anything is parsed, so a flipped byte or overwritten floats anywhere in the file are refused, not loaded.
/// Version-1 files (no hash) are read only on request (<c>nas weights upgrade</c> re-saves them).
/// </summary>
public static class ChecksummedFile
{
    public const int HashLength = 32;

    /// <summary>Writes <paramref name="writeBody"/>'s bytes followed by their SHA-256.</summary>
    public static void Write(string path, Action<BinaryWriter> writeBody)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true)) writeBody(w);
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        var temp = full + ".tmp";
        using (var file = File.Create(temp))
        {
            file.Write(bytes);
            file.Write(SHA256.HashData(bytes));
        }
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>
    /// The file's body when its last <see cref="HashLength"/> bytes are the SHA-256 of the rest; otherwise a
    /// <see cref="NasDataException"/> "'{path}' fails its SHA-256 check … {fix}".
    /// </summary>
    public static byte[] ReadBody(string path, byte[] all, string what, string fix)
    {
        if (all.Length <= HashLength || !SHA256.HashData(all.AsSpan(0, all.Length - HashLength)).AsSpan().SequenceEqual(all.AsSpan(all.Length - HashLength)))
            throw new NasDataException($"{what} '{path}' fails its SHA-256 check: the file was altered or damaged. {fix}");
        return all[..^HashLength];
    }
}
