using System.Runtime.CompilerServices;

// Tests draw from torch's single global generator: classes running in parallel would interleave their draws and
// break same-seed-same-result checks, so this assembly runs its tests one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]


namespace NasSharp.Diffusion.Tests;

internal static class TorchThreads
{
    /// <summary>xUnit runs test classes in parallel on 2 cores: one torch thread each avoids OpenMP oversubscription.</summary>
    [ModuleInitializer]
    internal static void OneThreadPerWorker() => TorchSharp.torch.set_num_threads(1);
}
