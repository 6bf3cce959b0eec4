using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/NasSharp.Bench -- --filter '*'
// One class: --filter '*TableLoad*'. Add a benchmark by adding a class with [Benchmark] methods in its own file.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
