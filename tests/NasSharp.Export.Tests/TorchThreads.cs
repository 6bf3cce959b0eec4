using System.Runtime.CompilerServices;

namespace NasSharp.Export.Tests;

internal static class TorchThreads
{
    /// <summary>xUnit runs test classes in parallel on 2 cores: one torch thread each avoids OpenMP oversubscription (8× slower).</summary>
    [ModuleInitializer]
    internal static void OneThreadPerWorker() => TorchSharp.torch.set_num_threads(1);
}
