using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/NasSharp.Bench -- --filter '*'
// One class: --filter '*TableLoad*'. Add a benchmark by adding a class with [Benchmark] methods in its own file.
// Defaults: the ShortRun job (--job short) unless another --job is given, run in this process (--inProcess):
// BenchmarkDotNet's generated out-of-process project is built without our libtorch native setup (the Debian 12 GLIBCXX
// patch, the runtime-specific native copies), so TorchSharp cannot load there. --outOfProcess restores BenchmarkDotNet's
// own process isolation for the torch-free benchmarks (TableLoad, Search).
var forwarded = args.Where(a => a != "--outOfProcess").ToList();
if (!args.Contains("--outOfProcess") && !args.Contains("--inProcess")) forwarded.Add("--inProcess");
if (!args.Contains("--job") && !args.Contains("-j")) forwarded.AddRange(["--job", "short"]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. forwarded]);
