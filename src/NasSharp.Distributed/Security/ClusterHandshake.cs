using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace NasSharp.Distributed.Security;

/// <summary>
/// Mutual challenge–response that runs on every Orleans connection (silo↔silo and client→gateway) before Orleans
/// exchanges a byte of its own, as connection middleware (<c>IConnectionBuilder.Use</c>, the hook Orleans 10 gives for
/// TLS too). Both ends send a hello with a fresh 32-byte nonce; the dialler proves it holds the secret with
/// HMAC-SHA256(secret, "dialler" ‖ kind ‖ listener nonce ‖ dialler nonce); the listener checks it in constant time and
/// either refuses (one byte, then closes, and logs who was refused) or answers with its own proof over the same nonces
/// with role "listener", which the dialler checks before it trusts the peer. Fresh nonces on both sides make a recorded
/// handshake useless, the role in the MAC stops a proof being reflected back, and nothing derived from the secret but
/// these MACs is ever sent.
/// </summary>
public sealed class ClusterHandshake(ClusterSecret secret, ILogger logger)
{
    private const int NonceLength = 32, MacLength = 32;
    private const byte Accepted = 1, Refused = 0;
    private static readonly byte[] Magic = "NASAUTH1"u8.ToArray();
    /// <summary>Below Orleans' own connection-open timeout (5 s), so a peer that never answers cannot hold the connection.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    private readonly TaskCompletionSource<string> _refusedByPeer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes (with the reason) the first time a listener refuses this process's secret: a worker or client
    /// with the wrong secret gives up at once instead of retrying until a timeout.</summary>
    public Task<string> RefusedByPeer => _refusedByPeer.Task;

    /// <summary>Adds the listener side to an inbound pipeline; <paramref name="kind"/> is "silo" or "gateway".</summary>
    public void UseAsListener(IConnectionBuilder builder, string kind) =>
        builder.Use(next => async context => { await ListenAsync(context, kind); await next(context); });

    /// <summary>Adds the dialler side to an outbound pipeline (a silo dialling a silo, a client dialling a gateway).</summary>
    public void UseAsDialler(IConnectionBuilder builder, string kind) =>
        builder.Use(next => async context => { await DialAsync(context, kind); await next(context); });

    private async Task ListenAsync(ConnectionContext context, string kind)
    {
        using var timeout = Linked(context);
        var transport = context.Transport;
        byte[] mine = RandomNumberGenerator.GetBytes(NonceLength);
        try
        {
            await transport.Output.WriteAsync(Hello(mine), timeout.Token);
            byte[]? theirs = await ReadHelloAsync(transport.Input, timeout.Token);
            if (theirs is null) throw Refuse(context, kind, "it did not start the NasSharp cluster handshake (a client or worker without a cluster secret, started with --insecure, or another program)");
            byte[] proof = await ReadExactlyAsync(transport.Input, MacLength, timeout.Token)
                           ?? throw Refuse(context, kind, "it closed the connection during the handshake");
            if (!CryptographicOperations.FixedTimeEquals(proof, Proof("dialler", kind, mine, theirs)))
            {
                await transport.Output.WriteAsync(new[] { Refused }, timeout.Token);
                // Closing at once can reset the socket before the dialler reads the verdict; it closes when it has.
                await WaitForCloseAsync(transport.Input, timeout.Token);
                throw Refuse(context, kind, "it does not know the cluster secret");
            }
            await transport.Output.WriteAsync((byte[])[Accepted, .. Proof("listener", kind, mine, theirs)], timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw Refuse(context, kind, $"it did not complete the handshake within {Timeout.TotalSeconds:0} s");
        }
    }

    private async Task DialAsync(ConnectionContext context, string kind)
    {
        using var timeout = Linked(context);
        var transport = context.Transport;
        byte[] mine = RandomNumberGenerator.GetBytes(NonceLength);
        try
        {
            await transport.Output.WriteAsync(Hello(mine), timeout.Token);
            byte[] theirs = await ReadHelloAsync(transport.Input, timeout.Token)
                            ?? throw PeerFailed(context, kind, "it does not speak the NasSharp cluster handshake (a worker started with --insecure, or another program)");
            await transport.Output.WriteAsync(Proof("dialler", kind, theirs, mine), timeout.Token);
            byte[] verdict = await ReadExactlyAsync(transport.Input, 1, timeout.Token)
                             ?? throw PeerFailed(context, kind, "it closed the connection during the handshake");
            if (verdict[0] != Accepted)
            {
                string why = $"the {kind} at {context.RemoteEndPoint} refused this process's cluster secret ({secret.Source})";
                _refusedByPeer.TrySetResult(why);
                logger.LogError("Cluster handshake: {Reason}; every worker and client of a cluster needs the same secret.", why);
                throw new ClusterAuthenticationException(why);
            }
            byte[] proof = await ReadExactlyAsync(transport.Input, MacLength, timeout.Token)
                           ?? throw PeerFailed(context, kind, "it closed the connection during the handshake");
            if (!CryptographicOperations.FixedTimeEquals(proof, Proof("listener", kind, theirs, mine)))
                throw PeerFailed(context, kind, "it accepted us without proving it knows the cluster secret (an impostor)");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw PeerFailed(context, kind, $"it did not complete the handshake within {Timeout.TotalSeconds:0} s");
        }
    }

    private byte[] Proof(string role, string kind, byte[] listenerNonce, byte[] diallerNonce) =>
        secret.Mac([.. Encoding.ASCII.GetBytes($"nassharp-cluster-v1|{role}|{kind}|"), .. listenerNonce, .. diallerNonce]);

    private static byte[] Hello(byte[] nonce) => [.. Magic, .. nonce];

    /// <summary>The peer's nonce, or null when what it sent is not our hello (or it closed first).</summary>
    private static async Task<byte[]?> ReadHelloAsync(PipeReader input, CancellationToken cancel)
    {
        var hello = await ReadExactlyAsync(input, Magic.Length + NonceLength, cancel);
        if (hello is null || !hello.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        return hello[Magic.Length..];
    }

    /// <summary>Exactly <paramref name="count"/> bytes, leaving anything after them for Orleans; null at end of stream.</summary>
    private static async Task<byte[]?> ReadExactlyAsync(PipeReader input, int count, CancellationToken cancel)
    {
        var read = await input.ReadAtLeastAsync(count, cancel);
        if (read.Buffer.Length < count)
        {
            input.AdvanceTo(read.Buffer.End);
            return null;
        }
        var bytes = read.Buffer.Slice(0, count).ToArray();
        input.AdvanceTo(read.Buffer.GetPosition(count));
        return bytes;
    }

    private static async Task WaitForCloseAsync(PipeReader input, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(cancel);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException) { }
    }

    private static CancellationTokenSource Linked(ConnectionContext context)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(context.ConnectionClosed);
        cts.CancelAfter(Timeout);
        return cts;
    }

    private ClusterAuthenticationException Refuse(ConnectionContext context, string kind, string why)
    {
        string who = kind == "gateway" ? "client" : "silo";
        logger.LogWarning("Refused a {Who} connection from {Remote}: {Reason}.", who, context.RemoteEndPoint, why);
        return new ClusterAuthenticationException($"refused a {who} connection from {context.RemoteEndPoint}: {why}");
    }

    private ClusterAuthenticationException PeerFailed(ConnectionContext context, string kind, string why)
    {
        logger.LogWarning("Not talking to the {Kind} at {Remote}: {Reason}.", kind, context.RemoteEndPoint, why);
        return new ClusterAuthenticationException($"the {kind} at {context.RemoteEndPoint}: {why}");
    }
}

/// <summary>A connection that failed the cluster handshake (it closes; Orleans sees a failed connection).</summary>
public sealed class ClusterAuthenticationException(string message) : Exception(message);
