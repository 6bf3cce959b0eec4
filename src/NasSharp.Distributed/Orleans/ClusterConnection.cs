using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

    /// <summary>Connects, retrying for <paramref name="connectTimeout"/> while no gateway answers (workers still starting).</summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterSpec spec, TimeSpan connectTimeout, CancellationToken cancel = default)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // a failed connect is reported as one line below
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
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (DateTime.UtcNow > deadline) return false;
                await Task.Delay(500, ct);
                return true;
            });
        });
        var host = builder.Build();
        try { await host.StartAsync(cancel); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new NasInputException($"Could not reach the cluster {spec} within {connectTimeout.TotalSeconds:0} s ({e.Message}); start a worker first: nas worker --cluster {spec}.");
        }
        return new ClusterConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(5)); } catch { /* best effort on shutdown */ }
        _host.Dispose();
    }
}
