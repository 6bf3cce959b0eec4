using System.Runtime.CompilerServices;

// Networks draw their initial weights from torch's one global generator (seeded per run): classes must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NasSharp.Pipeline.Tests;

internal static class TorchThreads
{
    /// <summary>One torch thread: the machine's cores are shared, and OpenMP oversubscription is many times slower.</summary>
    [ModuleInitializer]
    internal static void OneThread() => TorchSharp.torch.set_num_threads(1);
}
