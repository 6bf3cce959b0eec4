using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace NasSharp.Distributed.Orleans;

/// <summary>Where a worker silo listens.</summary>
public sealed record SiloEndpoints(int SiloPort, int GatewayPort)
{
    /// <summary>The address other hosts reach this silo at (multi-host clusters); null = 127.0.0.1.</summary>
    public IPAddress? Advertised { get; init; }
}

/// <summary>Builds the host of a worker silo (`nas worker`): Orleans silo + <see cref="WorkerRuntime"/>.</summary>
public static class WorkerSilo
{
    public static IHost Build(ClusterSpec spec, SiloEndpoints endpoints, WorkerSettings settings, LogLevel logLevel = LogLevel.Warning)
    {
        settings.Validate();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel)
            .AddFilter("Orleans.Runtime.Silo", LogLevel.Error)       // start-up notes about server GC
            .AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);  // noisy on a shared, overloaded machine
        builder.Services.AddSingleton(new WorkerRuntime(settings));
        builder.UseOrleans(silo =>
        {
            switch (spec.Kind)
            {
                case MembershipKind.Localhost:
                    silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, spec.PrimarySiloEndpoint, spec.ClusterId, spec.ClusterId);
                    break;
                case MembershipKind.Redis:
                    silo.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(spec.RedisConfiguration!));
                    silo.Configure<ClusterOptions>(o => { o.ClusterId = spec.ClusterId; o.ServiceId = spec.ClusterId; });
                    silo.ConfigureEndpoints(endpoints.Advertised ?? IPAddress.Loopback, endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: endpoints.Advertised is not null);
                    break;
            }
            silo.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
            // Declare a killed worker dead within a few seconds (defaults take ~30 s); trials on it are re-assigned then.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(12)); // trials time out in the coordinator
        });
        return builder.Build();
    }
}
