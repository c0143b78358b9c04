using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Dsl.Benchmarks.KernelBenchmarks).Assembly).Run(args);
