using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasSharp.Distributed.Security;
using Orleans.Configuration;
using Orleans.Hosting;

namespace NasSharp.Distributed.Orleans;

/// <summary>Where a worker silo listens.</summary>
public sealed record SiloEndpoints(int SiloPort, int GatewayPort)
{
    /// <summary>The address other hosts reach this silo at (multi-host clusters); null = 127.0.0.1.</summary>
    public IPAddress? Advertised { get; init; }

    /// <summary>With an advertised address the silo listens on every interface, otherwise on loopback only.</summary>
    public IPAddress ListenAddress => Advertised is null ? IPAddress.Loopback : IPAddress.Any;
}

/// <summary>Builds the host of a worker silo (`nas worker`): Orleans silo + <see cref="WorkerRuntime"/>.</summary>
public static class WorkerSilo
{
    /// <summary>
    /// A worker silo host. <paramref name="secret"/> is the cluster's shared secret: every connection to or from the
    /// silo must prove it holds it (<see cref="ClusterHandshake"/>); <see cref="ClusterSecret.None"/> turns that off.
    /// </summary>
    public static IHost Build(ClusterSpec spec, SiloEndpoints endpoints, WorkerSettings settings, ClusterSecret secret, LogLevel logLevel = LogLevel.Warning)
    {
        settings.Validate();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var logFilter = new WorkerLogFilter(logLevel);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(logLevel < LogLevel.Warning ? logLevel : LogLevel.Warning)
            .AddFilter(logFilter.Allows);
        builder.Services.AddSingleton(logFilter);
        builder.Services.AddSingleton(new WorkerRuntime(settings));
        builder.Services.AddSingleton(endpoints);
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
            ClusterAuthentication.Add(silo, secret);
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

    /// <summary>
    /// Starts a built worker silo. A port already in use is named with the option that sets it; a cluster that refuses
    /// this silo's secret stops the start at once (instead of Orleans retrying to join for minutes). Both are
    /// <see cref="NasInputException"/>s.
    /// </summary>
    public static async Task StartAsync(IHost host, CancellationToken cancel = default)
    {
        var endpoints = host.Services.GetRequiredService<SiloEndpoints>();
        CheckPortFree(endpoints.ListenAddress, endpoints.SiloPort, "--silo-port");
        CheckPortFree(endpoints.ListenAddress, endpoints.GatewayPort, "--gateway-port");
        var refused = ClusterAuthentication.Of(host.Services)?.RefusedByPeer ?? new TaskCompletionSource<string>().Task;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var start = host.StartAsync(abort.Token);
        if (await Task.WhenAny(start, refused) == refused)
        {
            abort.Cancel();
            try { await start.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None); } catch { /* the start was aborted on purpose */ }
            throw new NasInputException($"This worker cannot join the cluster: {refused.Result}. Give it the secret of the other workers (--secret-file PATH or $NASSHARP_CLUSTER_SECRET; docs/cluster-security.md).");
        }
        try
        {
            await start;
            host.Services.GetRequiredService<WorkerLogFilter>().Started = true;
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            // Taken between the check above and the bind (or by the other port): name whichever is busy now.
            CheckPortFree(endpoints.ListenAddress, endpoints.SiloPort, "--silo-port");
            CheckPortFree(endpoints.ListenAddress, endpoints.GatewayPort, "--gateway-port");
            throw new NasInputException($"Port {endpoints.SiloPort} (--silo-port) or {endpoints.GatewayPort} (--gateway-port) is already in use; choose free ports.", e);
        }
    }

    /// <summary>
    /// What a worker logs: refused connections always; Orleans' own errors only once the silo has started, because a
    /// start that fails (wrong secret, busy port) is reported as one line by <see cref="StartAsync"/> instead of
    /// pages of Orleans stack traces (at <see cref="LogLevel.Debug"/> or below everything is shown).
    /// </summary>
    private sealed class WorkerLogFilter(LogLevel level)
    {
        public volatile bool Started;

        public bool Allows(string? category, LogLevel l)
        {
            category ??= "";
            if (category == ClusterAuthentication.LoggerName) return l >= LogLevel.Warning;
            bool engine = category.StartsWith("Orleans", StringComparison.Ordinal) || category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal);
            if (engine && !Started && level > LogLevel.Debug) return l >= LogLevel.Critical;
            // Start-up notes about server GC, and the watchdog, which is noisy on a shared, overloaded machine.
            if (category.StartsWith("Orleans.Runtime.Silo", StringComparison.Ordinal) || category.StartsWith("Orleans.Runtime.Watchdog", StringComparison.Ordinal))
                return l >= LogLevel.Error;
            return l >= level;
        }
    }

    private static void CheckPortFree(IPAddress address, int port, string option)
    {
        var probe = new TcpListener(address, port);
        try { probe.Start(); }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            string why = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use (another worker or program listens on it)" : "may not be opened by this user";
            throw new NasInputException($"Port {port} ({option}) on {address} {why}; choose another with {option} PORT.", e);
        }
        finally { probe.Stop(); }
    }

    private static bool IsAddressInUse(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException a => a.InnerExceptions.Any(IsAddressInUse),
        _ => e.InnerException is { } inner && IsAddressInUse(inner),
    };
}
