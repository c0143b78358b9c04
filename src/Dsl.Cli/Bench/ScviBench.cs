using System.Diagnostics;
using System.Globalization;
using Dsl.Models.Scvi;
using Dsl.Runtime.Neural;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Bench;

/// <summary>
/// `dsl bench scvi`: seconds per training epoch of scVI (minibatch 128, all cores) on synthetic ZINB data at
/// 3,005 x 558 and 12,000 x 2,000, the process's peak working set, and the fp32 GEMM rate at scVI's layer shapes.
/// The first quarter of the epochs (JIT tiers, first allocations) is excluded; the figure is the mean of the rest.
/// </summary>
public static class ScviBench
{
    public static int Run(bool json, TextWriter output, TextWriter error)
    {
        var figures = new List<(string Key, double Value, string Unit)>();
        foreach (var (cells, genes, epochs) in new[] { (3005, 558, 8), (12000, 2000, 4) })
        {
            error.WriteLine($"scvi {cells} x {genes}: {epochs} epochs on {Environment.ProcessorCount} threads");
            var sim = ScviSimulator.Simulate(new ScviSimulationSettings { Cells = cells, Genes = genes, Seed = 1 });
            var inputs = new ScviInputs(sim.Counts, sim.Batch, Enumerable.Range(0, 2).Select(b => $"batch{b}").ToArray());
            var fit = ScviFitter.Fit(inputs, new VariationalOptions { Epochs = epochs, Seed = 1, Patience = 0 });
            figures.Add(($"scvi_{cells}x{genes}_seconds_per_epoch", fit.Run.History.Skip(epochs / 4).Average(e => e.Seconds), "s"));
        }
        figures.Add(("peak_working_set_mb", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "MB"));
        foreach (var (m, k, n) in new[] { (128, 560, 128), (128, 128, 558), (128, 128, 2000), (128, 2002, 128) })
            figures.Add(($"gemm_{m}x{k}x{n}_gflops", GemmRate(m, k, n), "GFLOP/s"));
        output.WriteLine(json
            ? "{" + string.Join(", ", figures.Select(f => $"\"{f.Key}\": {f.Value.ToString("F4", CultureInfo.InvariantCulture)}")) + "}"
            : string.Join("\n", figures.Select(f => $"{f.Key,-40} {f.Value,10:F3} {f.Unit}")));
        return 0;
    }

    /// <summary>One core's fp32 rate for C = A·B with A m x k and B k x n, best of several timed repetitions.</summary>
    private static double GemmRate(int m, int k, int n)
    {
        var a = Enumerable.Range(0, m * k).Select(i => (float)Math.Sin(i)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(i => (float)Math.Cos(i)).ToArray();
        var c = new float[m * n];
        var best = double.MaxValue;
        for (var repeat = 0; repeat < 7; repeat++)
        {
            var clock = Stopwatch.StartNew();
            const int calls = 20;
            for (var i = 0; i < calls; i++)
                Gemm.Multiply(MatrixView<float>.RowMajor(a, m, k), MatrixView<float>.RowMajor(b, k, n), c, 0, n, false, threads: 1);
            best = Math.Min(best, clock.Elapsed.TotalSeconds / calls);
        }
        return 2.0 * m * n * k / best / 1e9;
    }
}
