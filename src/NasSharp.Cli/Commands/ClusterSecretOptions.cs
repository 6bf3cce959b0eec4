using System.CommandLine;
using System.Net;
using NasSharp.Distributed.Security;

namespace NasSharp.Cli.Commands;

/// <summary>
/// How every cluster command gets the cluster secret (docs/cluster-security.md), in this order: --secret-file PATH;
/// $NASSHARP_CLUSTER_SECRET (read here, in the CLI only: the libraries get the secret as a parameter); --insecure (no
/// authentication); else the per-user file ~/.config/nassharp/cluster.secret, created (0600) on first use so one
/// user's workers and clients on one machine share it. A worker that listens beyond loopback (--advertise) needs an
/// explicit secret or --insecure.
/// </summary>
public sealed class ClusterSecretOptions
{
    public const string EnvironmentVariable = "NASSHARP_CLUSTER_SECRET";

    public Option<string?> SecretFile { get; } = new("--secret-file")
    {
        Description = $"File with the cluster's shared secret (mode 0600; e.g. 'openssl rand -hex 32'). Default: ${EnvironmentVariable}, else {DefaultPath} (created on first use).",
    };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "No cluster authentication: anyone who reaches the ports can join or submit work (only on a trusted network)." };

    public IEnumerable<Option> All => [SecretFile, Insecure];

    /// <summary>$XDG_CONFIG_HOME/nassharp/cluster.secret, else ~/.config/nassharp/cluster.secret.</summary>
    public static string DefaultPath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "nassharp", "cluster.secret");

    /// <param name="advertised">The address a worker listens on beyond loopback (null for clients and loopback workers).</param>
    public ClusterSecret Resolve(ParseResult r, IPAddress? advertised = null)
    {
        string? file = r.GetValue(SecretFile);
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        bool insecure = r.GetValue(Insecure);
        if (insecure && (file is not null || !string.IsNullOrEmpty(env)))
            throw new NasInputException($"--insecure contradicts the cluster secret given ({(file is not null ? "--secret-file" : "$" + EnvironmentVariable)}); drop one of them.");
        if (file is not null) return ClusterSecret.FromFile(file);
        if (!string.IsNullOrEmpty(env)) return ClusterSecret.FromText(env, "$" + EnvironmentVariable);
        if (insecure) return ClusterSecret.None;
        if (advertised is not null && !IPAddress.IsLoopback(advertised))
            throw new NasInputException($"--advertise {advertised} makes this worker reachable from other hosts: give the cluster secret (--secret-file PATH or ${EnvironmentVariable}; the same on every worker and client), or --insecure to run without authentication.");
        return ClusterSecret.LoadOrCreate(DefaultPath);
    }
}
