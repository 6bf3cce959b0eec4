using System.Runtime.CompilerServices;

namespace NasSharp.Diffusion.Tests;

internal static class TorchThreads
{
    /// <summary>xUnit runs test classes in parallel on 2 cores: one torch thread each avoids OpenMP oversubscription.</summary>
    [ModuleInitializer]
    internal static void OneThreadPerWorker() => TorchSharp.torch.set_num_threads(1);
}
