using BenchmarkDotNet.Attributes;
using Dsl.Runtime.Benchmarks;

namespace Dsl.Benchmarks;

/// <summary>
/// The same workloads as `dsl bench kernels`, under BenchmarkDotNet's statistics. One invocation produces
/// <see cref="KernelWorkload.Items"/> draws or vectors; divide to get the per-item time.
/// Run: dotnet run -c Release --project tests/Dsl.Benchmarks -- --filter '*'
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private KernelWorkload workload = null!;

    public static IEnumerable<string> Keys => KernelWorkloads.All().Select(w => w.Key);

    [ParamsSource(nameof(Keys))]
    public string Key { get; set; } = "";

    [GlobalSetup]
    public void Setup() => workload = KernelWorkloads.All().Single(w => w.Key == Key);

    [Benchmark]
    public void Run() => workload.Run();
}
