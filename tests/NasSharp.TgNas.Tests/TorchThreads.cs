using System.Runtime.CompilerServices;

// Model and search tests both seed torch's single global generator: run them one at a time so seeds stay meaningful.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace NasSharp.TgNas.Tests;

internal static class TorchThreads
{
    /// <summary>xUnit runs test classes in parallel on 2 cores: one torch thread each avoids OpenMP oversubscription.</summary>
    [ModuleInitializer]
    internal static void OneThreadPerWorker() => TorchSharp.torch.set_num_threads(1);
}
