using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NasSharp.Data;
using NasSharp.Proxies;
using NasSharp.Proxies.Harness;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;

namespace NasSharp.Bench;

/// <summary>
/// Seconds per architecture per proxy on the NB201 network of the best CIFAR-10 architecture (index 6111), batch 32 of
/// the real CIFAR-10 sample, 1 torch thread. Each invocation builds a fresh session, so a proxy pays for the shared pass
/// it needs; "all" scores the 15 proxies on one session (the batched path `nas proxy eval/validate` use).
/// Run: dotnet run -c Release --project bench/NasSharp.Bench -- --filter '*ProxyBenchmark*'
/// (only some cases: NASSHARP_BENCH_PROXIES=all,grasp before the command).
/// </summary>
[Config(typeof(InProcessMonitoring))]
public class ProxyBenchmark
{
    /// <summary>In-process (on the busy 2-core box the out-of-process child build hit BenchmarkDotNet's 2-minute timeout);
    /// Monitoring: every iteration is one full scoring, no unrolling of multi-second operations. The in-process toolchain
    /// aborts a benchmark after 10 minutes by default; one "all" scoring took 4.4 min on the oversubscribed box, so the
    /// limit is 2 hours. A mutator, so it replaces Program.cs's ShortRun job instead of adding a second one.</summary>
    private sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
            .WithWarmupCount(1).WithIterationCount(3).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true)).AsMutator()).AddDiagnoser(new CpuTimeDiagnoser());
    }

    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private Architecture _arch = null!;
    private ProxyContext _context = null!;
    private ProxyBatch _batch = null!;

    [ParamsSource(nameof(ProxyNames))]
    public string Proxy { get; set; } = "all";

    /// <summary>"all" and every proxy; NASSHARP_BENCH_PROXIES=all,grasp limits the cases (a busy machine cannot afford all 16).</summary>
    public static IEnumerable<string> ProxyNames =>
        Environment.GetEnvironmentVariable("NASSHARP_BENCH_PROXIES") is { Length: > 0 } only
            ? only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : ProxyRegistry.Names.Prepend("all");

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        _arch = Nb201Space.Instance.Parse(Best);
        _context = new ProxyContext { Seed = 0, BatchSize = 32, DataDirectory = DataDirectory.Resolve(null) };
        _batch = ProxyData.Create(_context.Dataset, _context.BatchSize, _context.Seed, _context.DataDirectory);
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    [Benchmark]
    public double ScoreOneArchitecture()
    {
        CpuTimeDiagnoser.Count();
        return ProxyRunner.Score(_arch, Proxy == "all" ? ProxyRegistry.All : [ProxyRegistry.Get(Proxy)], _context, _batch).Sum(s => s.Value);
    }
}
