using System.Security.Cryptography;
using System.Text;

namespace NasSharp.Distributed.Security;

/// <summary>
/// The shared secret that every worker silo and every client of one cluster hold (docs/cluster-security.md). It never
/// travels: connections prove they hold it with an HMAC over fresh nonces (<see cref="ClusterHandshake"/>).
/// <see cref="None"/> is the explicit "no authentication" choice (`--insecure`); there is no implicit default.
/// </summary>
public sealed class ClusterSecret
{
    /// <summary>Shortest secret accepted, in bytes after trimming (a generated one has 64 hex characters).</summary>
    public const int MinimumLength = 16;

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                               UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly byte[]? _key;

    private ClusterSecret(byte[]? key, string source)
    {
        _key = key;
        Source = source;
    }

    /// <summary>No authentication: anyone who reaches the ports may join or submit work (only with `--insecure`).</summary>
    public static ClusterSecret None { get; } = new(null, "--insecure");

    public bool IsNone => _key is null;

    /// <summary>Where the secret came from (a file path, an environment variable's name), for error messages; never the secret.</summary>
    public string Source { get; }

    /// <summary>A secret given as text (e.g. an environment variable read by the CLI); surrounding whitespace is ignored.</summary>
    public static ClusterSecret FromText(string text, string source)
    {
        var trimmed = text.Trim();
        if (Encoding.UTF8.GetByteCount(trimmed) < MinimumLength)
            throw new NasInputException($"The cluster secret from {source} is shorter than {MinimumLength} characters; use a long random one (e.g. 'openssl rand -hex 32').");
        return new ClusterSecret(Encoding.UTF8.GetBytes(trimmed), source);
    }

    /// <summary>
    /// Reads a secret file. Like ssh with its keys, a file that the group or other users may read or write is refused:
    /// anyone who can read it can join the cluster.
    /// </summary>
    public static ClusterSecret FromFile(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new NasInputException($"Cluster secret file not found: {full}; create one with 'openssl rand -hex 32 > {full} && chmod 600 {full}'.");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(full);
            if ((mode & GroupOrOthers) != 0)
                throw new NasInputException($"Cluster secret file {full} is accessible by group or others (mode {Octal(mode)}); other users could join the cluster: run 'chmod 600 {full}'.");
        }
        return FromText(File.ReadAllText(full), full);
    }

    /// <summary>
    /// The secret in <paramref name="path"/>, creating the file first with a new random secret (mode 0600, folder 0700)
    /// when it does not exist: one machine's workers and clients of the same user then share it without setup.
    /// </summary>
    public static ClusterSecret LoadOrCreate(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) WriteNewFile(full);
        return FromFile(full);
    }

    /// <summary>Writes a new random secret to a file that only this user can read; an existing file is kept (a concurrent creator won).</summary>
    public static void WriteNewFile(string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(full, Encoding.ASCII, options);
            writer.WriteLine(NewSecretText());
        }
        catch (IOException) when (File.Exists(full)) { /* another process created it first: use theirs */ }
        catch (UnauthorizedAccessException e) { throw new NasInputException($"Cannot create the cluster secret file {full}: {e.Message}; give --secret-file PATH.", e); }
    }

    /// <summary>A fresh random secret (tests, the throwaway cluster of `nas cluster bench`).</summary>
    public static ClusterSecret Generate() => new(Encoding.UTF8.GetBytes(NewSecretText()), "a generated secret");

    public static string NewSecretText() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under this secret.</summary>
    internal byte[] Mac(ReadOnlySpan<byte> message) =>
        HMACSHA256.HashData(_key ?? throw new InvalidOperationException("No cluster secret (--insecure) has no MAC."), message);

    /// <summary>Never the secret itself, so it cannot end up in a log line.</summary>
    public override string ToString() => IsNone ? "no cluster secret (--insecure)" : $"cluster secret from {Source}";

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
