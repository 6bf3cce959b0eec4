using System.Diagnostics;
using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace NasSharp.Bench;

/// <summary>
/// Adds a "CPU/op" column: this process's CPU time (user + system, all threads, torch's OpenMP workers included) over the
/// measured iterations, divided by the operations run. On a shared machine wall time mostly measures the other jobs;
/// CPU time is what the work itself costs, and what bench/pytorch/nb201_speed.py reports as "cpu ms" for PyTorch.
/// Only meaningful in process (the benchmarks here run in process): the signals arrive in the measuring process.
/// A benchmark method that wants the column calls <see cref="Count"/> once per operation: BenchmarkDotNet's
/// TotalOperations also counts the pilot and warm-up invocations, so the measured operations are counted here.
/// </summary>
public sealed class CpuTimeDiagnoser : IDiagnoser
{
    private static long operations;
    private readonly Dictionary<BenchmarkCase, (TimeSpan Cpu, long Operations)> measured = [];
    private TimeSpan start;
    private long startOperations;

    /// <summary>Call once per benchmark operation.</summary>
    public static void Count() => Interlocked.Increment(ref operations);

    public IEnumerable<string> Ids => ["CpuTime"];
    public IEnumerable<IExporter> Exporters => [];
    public IEnumerable<IAnalyser> Analysers => [];
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;
    public bool RequiresBlockingAcknowledgments(BenchmarkCase benchmarkCase) => false;

    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        if (signal == HostSignal.BeforeActualRun)
        {
            start = Process.GetCurrentProcess().TotalProcessorTime;
            startOperations = Interlocked.Read(ref operations);
        }
        else if (signal == HostSignal.AfterActualRun)
            measured[parameters.BenchmarkCase] = (Process.GetCurrentProcess().TotalProcessorTime - start,
                                                  Interlocked.Read(ref operations) - startOperations);
    }

    public IEnumerable<Metric> ProcessResults(DiagnoserResults results)
    {
        if (!measured.TryGetValue(results.BenchmarkCase, out var m) || m.Operations == 0) yield break;
        yield return new Metric(CpuPerOperation.Instance, m.Cpu.TotalNanoseconds / m.Operations);
    }

    public void DisplayResults(ILogger logger) { }
    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters) => [];

    private sealed class CpuPerOperation : IMetricDescriptor
    {
        public static readonly CpuPerOperation Instance = new();
        public string Id => "CpuTimePerOperation";
        public string DisplayName => "CPU/op";
        public string Legend => "CPU time of this process (all threads) per operation over the measured iterations";
        public string NumberFormat => "N1";
        public UnitType UnitType => UnitType.Time;
        public string Unit => "ns";
        public bool TheGreaterTheBetter => false;
        public int PriorityInCategory => 0;
        public bool GetIsAvailable(Metric metric) => true;
    }
}
