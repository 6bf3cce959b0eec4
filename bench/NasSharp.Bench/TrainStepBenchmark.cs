using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NasSharp.Spaces.Nb201;
using NasSharp.Torch.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Bench;

/// <summary>
/// Training throughput: one SGD step (zero_grad, forward, cross-entropy, backward, Nesterov SGD update with weight decay) of
/// the best NB201 architecture (index 6111, 1,073,466 parameters) on a batch of 64 CIFAR-sized 3×32×32 inputs, exactly what
/// <c>Trainer.TrainEpoch</c> does per step minus data indexing and augmentation, and the forward-only eval pass
/// (<c>Trainer.Evaluate</c>: eval mode, no_grad). Times are per step of 64 images, so images/s = 64 / time; the PyTorch
/// twin of these cases is bench/pytorch/nb201_speed.py. Each step runs in its own dispose scope (no tensor leaks).
/// Run: dotnet run -c Release --project bench/NasSharp.Bench -- --filter '*TrainStep*'
/// </summary>
[Config(typeof(InProcessConfig))]
[MedianColumn, MinColumn, MaxColumn]
public class TrainStepBenchmark
{
    /// <summary>
    /// In-process: the step is ~all native libtorch time, so process isolation buys nothing, and it skips a second full
    /// build of every project on a busy machine. 5 warm-up iterations (oneDNN primitive creation), 10 measured.
    /// The in-process toolchain aborts a benchmark after 10 minutes by default; a step of ~1 s becomes ~30 s on an
    /// oversubscribed machine, so the limit is raised to 2 hours. A mutator: it overrides the ShortRun job Program.cs
    /// passes instead of adding a second job (which would run every case twice).
    /// </summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true)).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10)
                .AsMutator()).AddDiagnoser(new CpuTimeDiagnoser());
    }

    private const int Batch = 64;
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    private nn.Module<Tensor, Tensor> net = null!, evalNet = null!;
    private SGD optimizer = null!;
    private Tensor x = null!, y = null!;

    /// <summary>Torch intra-op threads: 1 and all cores (oversubscribing a busy machine is far slower than 1 thread);
    /// NASSHARP_BENCH_THREADS=1 (or 2, or 1,2) picks the cases.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts() =>
        Environment.GetEnvironmentVariable("NASSHARP_BENCH_THREADS") is { Length: > 0 } only
            ? only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
            : new[] { 1, Environment.ProcessorCount }.Distinct();

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        torch.manual_seed(0);
        net = NetworkFactory.Create(Nb201Space.Instance.Parse(Best));
        optimizer = optim.SGD(net.parameters(), 0.1, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
        evalNet = NetworkFactory.Create(Nb201Space.Instance.Parse(Best));
        evalNet.eval();
        x = randn(Batch, 3, 32, 32);
        y = randint(0, 10, [Batch], ScalarType.Int64);
    }

    [Benchmark]
    public float SgdStepBatch64()
    {
        CpuTimeDiagnoser.Count();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(net.call(x), y);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Forward only, eval mode (BN running statistics), no autograd graph: what evaluation and inference cost.</summary>
    [Benchmark]
    public float ForwardEvalBatch64()
    {
        CpuTimeDiagnoser.Count();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return evalNet.call(x).sum().item<float>();
    }

    private Tensor tinyX = null!, tinyY = null!;

    /// <summary>
    /// The same step on one 3×8×8 image: the arithmetic is ~1/1000 of the batch-64 step, so its time bounds the fixed
    /// per-step cost of TorchSharp's managed dispatch plus our module code (~400 native calls per step).
    /// </summary>
    [Benchmark]
    public float SgdStepOverheadBound()
    {
        CpuTimeDiagnoser.Count();
        using var scope = NewDisposeScope();
        tinyX ??= randn(1, 3, 8, 8).DetachFromDisposeScope();
        tinyY ??= zeros(1, ScalarType.Int64).DetachFromDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(net.call(tinyX), tinyY);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        net.Dispose();
        evalNet.Dispose();
        x.Dispose();
        y.Dispose();
        tinyX?.Dispose();
        tinyY?.Dispose();
    }
}
