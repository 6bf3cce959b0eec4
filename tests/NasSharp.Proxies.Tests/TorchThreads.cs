using System.Runtime.CompilerServices;

// Proxy sessions seed torch's global generator before building a network; sequential test classes keep the draws of
// one test from interleaving with another's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NasSharp.Proxies.Tests;

internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void OneThread() => TorchSharp.torch.set_num_threads(1);
}
