using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace NasSharp.Distributed.Security;

/// <summary>Puts <see cref="ClusterHandshake"/> on every connection of a silo or a client (nothing, for <see cref="ClusterSecret.None"/>).</summary>
public static class ClusterAuthentication
{
    public const string LoggerName = "NasSharp.Distributed.ClusterAuthentication";

    /// <summary>Silo: inbound silo and gateway connections are challenged, outbound silo connections answer (and check) the challenge.</summary>
    public static void Add(ISiloBuilder silo, ClusterSecret secret)
    {
        if (secret.IsNone) return;
        silo.Services.AddSingleton(sp => new ClusterHandshake(secret, sp.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName)));
        silo.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureSiloInboundConnection(b => Handshake(b).UseAsListener(b, "silo"));
            o.ConfigureGatewayInboundConnection(b => Handshake(b).UseAsListener(b, "gateway"));
            o.ConfigureSiloOutboundConnection(b => Handshake(b).UseAsDialler(b, "silo"));
        });
    }

    /// <summary>Client: every gateway connection answers (and checks) the gateway's challenge.</summary>
    public static void Add(IClientBuilder client, ClusterSecret secret)
    {
        if (secret.IsNone) return;
        client.Services.AddSingleton(sp => new ClusterHandshake(secret, sp.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName)));
        client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(b => Handshake(b).UseAsDialler(b, "gateway")));
    }

    /// <summary>The handshake of a host whose secret was refused by a peer, if any (null with no secret).</summary>
    public static ClusterHandshake? Of(IServiceProvider services) => services.GetService<ClusterHandshake>();

    private static ClusterHandshake Handshake(Microsoft.AspNetCore.Connections.IConnectionBuilder b) =>
        b.ApplicationServices.GetRequiredService<ClusterHandshake>();
}
