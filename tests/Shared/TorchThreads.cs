using System.Runtime.CompilerServices;

namespace NasSharp.Tests.Shared;

/// <summary>Linked into every test project that runs TorchSharp (see its .csproj).</summary>
internal static class TorchThreads
{
    /// <summary>CI has 2 cores and xUnit may run test classes in parallel: one torch thread per worker avoids OpenMP
    /// oversubscription, which is several times slower.</summary>
    [ModuleInitializer]
    internal static void OneThreadPerWorker() => TorchSharp.torch.set_num_threads(1);
}
