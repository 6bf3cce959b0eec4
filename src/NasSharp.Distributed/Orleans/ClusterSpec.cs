using System.Net;

namespace NasSharp.Distributed.Orleans;

public enum MembershipKind { Localhost, Redis }

/// <summary>
/// Which cluster to join, parsed from <c>--cluster</c>:
/// <list type="bullet">
/// <item><c>localhost[:SILO_PORT[:GATEWAY_PORT]]</c> — Orleans development clustering on 127.0.0.1: the worker started
/// with the primary's silo port (default 11111, gateway 30000) is the primary and must stay up; clients connect
/// through its gateway. For tests and one machine.</item>
/// <item><c>redis://HOST:PORT</c> — membership table in Redis: any silo may die, silos and clients find each other
/// through Redis. For several machines; needs no cloud account.</item>
/// </list>
/// </summary>
public sealed record ClusterSpec(MembershipKind Kind, string ClusterId)
{
    public const int DefaultSiloPort = 11111, DefaultGatewayPort = 30000;

    public int PrimarySiloPort { get; init; } = DefaultSiloPort;
    public int PrimaryGatewayPort { get; init; } = DefaultGatewayPort;
    /// <summary>For Redis: the StackExchange.Redis configuration string (host:port[,options]).</summary>
    public string? RedisConfiguration { get; init; }

    public static ClusterSpec Parse(string text, string clusterId = "nassharp")
    {
        if (string.IsNullOrWhiteSpace(text)) throw new NasInputException("--cluster is empty; use 'localhost', 'localhost:SILO_PORT[:GATEWAY_PORT]' or 'redis://HOST:PORT'.");
        if (string.IsNullOrWhiteSpace(clusterId)) throw new NasInputException("--cluster-id is empty.");
        text = text.Trim();
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            string cfg = text["redis://".Length..];
            if (cfg.Length == 0) throw new NasInputException($"--cluster '{text}' names no Redis host; use redis://HOST:PORT.");
            return new ClusterSpec(MembershipKind.Redis, clusterId) { RedisConfiguration = cfg };
        }
        var parts = text.Split(':');
        if (!parts[0].Equals("localhost", StringComparison.OrdinalIgnoreCase) || parts.Length > 3)
            throw new NasInputException($"Unknown --cluster '{text}'; use 'localhost', 'localhost:SILO_PORT[:GATEWAY_PORT]' or 'redis://HOST:PORT'.");
        int silo = parts.Length > 1 ? Port(parts[1], text) : DefaultSiloPort;
        int gateway = parts.Length > 2 ? Port(parts[2], text) : silo + (DefaultGatewayPort - DefaultSiloPort);
        return new ClusterSpec(MembershipKind.Localhost, clusterId) { PrimarySiloPort = silo, PrimaryGatewayPort = gateway };
    }

    private static int Port(string s, string spec) =>
        int.TryParse(s, out int p) && p is > 0 and < 65536 ? p
            : throw new NasInputException($"--cluster '{spec}': '{s}' is not a TCP port (1..65535).");

    public IPEndPoint PrimarySiloEndpoint => new(IPAddress.Loopback, PrimarySiloPort);

    public override string ToString() => Kind switch
    {
        MembershipKind.Localhost => $"localhost:{PrimarySiloPort}:{PrimaryGatewayPort}",
        _ => $"redis://{RedisConfiguration}",
    };
}
