using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasSharp.Distributed.Security;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace NasSharp.Distributed.Orleans;

/// <summary>An Orleans client connected to a worker cluster (the coordinator side and `nas cluster status`).</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>
    /// Connects with <paramref name="secret"/> (the cluster's shared secret, or <see cref="ClusterSecret.None"/> for a
    /// cluster started with --insecure), retrying for <paramref name="connectTimeout"/> while no gateway answers
    /// (workers still starting) — but not once a gateway refused the secret.
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterSpec spec, ClusterSecret secret, TimeSpan connectTimeout, CancellationToken cancel = default)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None) // a failed connect is reported as one line below
            .AddFilter("Orleans", LogLevel.None)                      // connection errors: the same
            .AddFilter(ClusterAuthentication.LoggerName, LogLevel.None);
        var deadline = DateTime.UtcNow + connectTimeout;
        builder.UseOrleansClient(client =>
        {
            switch (spec.Kind)
            {
                case MembershipKind.Localhost:
                    client.UseLocalhostClustering(spec.PrimaryGatewayPort, spec.ClusterId, spec.ClusterId);
                    break;
                case MembershipKind.Redis:
                    client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(spec.RedisConfiguration!));
                    client.Configure<ClusterOptions>(o => { o.ClusterId = spec.ClusterId; o.ServiceId = spec.ClusterId; });
                    break;
            }
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(12)); // trials time out in the coordinator
            ClusterAuthentication.Add(client, secret);
            client.Services.AddSingleton<IClientConnectionRetryFilter>(sp => new RetryUntil(deadline, ClusterAuthentication.Of(sp)));
        });
        var host = builder.Build();
        try { await host.StartAsync(cancel); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var refused = ClusterAuthentication.Of(host.Services)?.RefusedByPeer;
            host.Dispose();
            if (refused is { IsCompleted: true })
                throw new NasInputException($"The cluster {spec} refused this client: {refused.Result}. Give the workers' secret with --secret-file PATH or $NASSHARP_CLUSTER_SECRET (docs/cluster-security.md).");
            string hint = secret.IsNone ? " (if the workers use a cluster secret, give the same one: --secret-file PATH or $NASSHARP_CLUSTER_SECRET)" : "";
            throw new NasInputException($"Could not reach the cluster {spec} within {connectTimeout.TotalSeconds:0} s ({e.Message}); start a worker first: nas worker --cluster {spec}{hint}.");
        }
        return new ClusterConnection(host);
    }

    /// <summary>Retry every 500 ms until the deadline; never after a gateway refused our secret (retrying cannot help).</summary>
    private sealed class RetryUntil(DateTime deadline, ClusterHandshake? handshake) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTime.UtcNow > deadline || handshake?.RefusedByPeer.IsCompleted == true) return false;
            await Task.Delay(500, cancellationToken);
            return handshake?.RefusedByPeer.IsCompleted != true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(5)); } catch { /* best effort on shutdown */ }
        _host.Dispose();
    }
}
