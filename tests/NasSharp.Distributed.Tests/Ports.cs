using System.Net;
using System.Net.Sockets;

namespace NasSharp.Distributed.Tests;

/// <summary>Free TCP ports on the loopback address (tests only ever listen on 127.0.0.1).</summary>
internal static class Ports
{
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }
}
