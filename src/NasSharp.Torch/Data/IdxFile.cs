using System.Buffers.Binary;
using System.IO.Compression;

namespace NasSharp.Torch.Data;

/// <summary>
/// Reader for IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed: magic = two zero bytes, a type
/// byte (0x08 = unsigned byte, the only type these datasets use) and the number of dimensions; then each dimension as a
/// big-endian int32; then the data, row-major. Every defect becomes a <see cref="NasDataException"/> naming the file.
/// </summary>
public static class IdxFile
{
    public const byte UnsignedByte = 0x08;

    public sealed record Content(int[] Dimensions, byte[] Data)
    {
        public long Count => Dimensions[0];
    }

    public static Content Read(string path)
    {
        var bytes = Decompress(path, CifarBinary.ReadAll(path));
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new NasDataException($"IDX file {path} has a wrong magic number (expected 00 00 <type> <dims>); it is not an IDX file.");
        if (bytes[2] != UnsignedByte)
            throw new NasDataException($"IDX file {path} stores type 0x{bytes[2]:x2}; only unsigned bytes (0x08) are supported.");
        int dims = bytes[3];
        if (dims < 1 || dims > 4)
            throw new NasDataException($"IDX file {path} claims {dims} dimensions; image and label files have 1 to 4.");
        int header = 4 + 4 * dims;
        if (bytes.Length < header) throw new NasDataException($"IDX file {path} is truncated inside its header ({bytes.Length} bytes).");
        var shape = new int[dims];
        long expected = 1;
        for (int d = 0; d < dims; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d, 4));
            if (shape[d] < 0) throw new NasDataException($"IDX file {path} has a negative dimension {shape[d]}.");
            expected *= shape[d];
        }
        long actual = bytes.Length - header;
        if (actual != expected)
            throw new NasDataException($"IDX file {path} holds {actual} data bytes but its header [{string.Join("×", shape)}] needs {expected}; " +
                                       (actual < expected ? "the file is truncated." : "the file has trailing bytes."));
        return new Content(shape, bytes[header..]);
    }

    private static byte[] Decompress(string path, byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e) { throw new NasDataException($"IDX file {path} is a corrupt gzip file: {e.Message}", e); }
    }
}
