using System.Diagnostics;
using System.Globalization;
using Dsl.Analysis.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Neural;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Bench;

/// <summary>
/// `dsl bench scvi`: seconds per training epoch of scVI (minibatch 128, all cores) on synthetic ZINB data at
/// 3,005 x 558 and 12,000 x 2,000 (with --large also 100,000 x 720 written to and read back from a sparse 10x
/// folder), each run's peak resident memory (data, networks and training; the simulation before the run excluded), and
/// the fp32 GEMM rate at scVI's layer shapes. The first quarter of the epochs (JIT tiers, first allocations) is
/// excluded; the figure is the mean of the rest.
/// </summary>
public static class ScviBench
{
    public static int Run(bool json, bool large, TextWriter output, TextWriter error)
    {
        var figures = new List<(string Key, double Value, string Unit)>();
        foreach (var (cells, genes, epochs) in new[] { (3005, 558, 40), (12000, 2000, 6) })
        {
            error.WriteLine($"scvi {cells} x {genes}: {epochs} epochs on {Environment.ProcessorCount} threads");
            Measure($"scvi_{cells}x{genes}", Simulate(cells, genes), epochs, figures, reset: true);
        }
        if (large) MeasureFromSparseFile(100000, 720, epochs: 3, figures, error);
        foreach (var (m, k, n) in new[] { (128, 560, 128), (128, 128, 558), (128, 128, 2000), (128, 2002, 128) })
            figures.Add(($"gemm_{m}x{k}x{n}_gflops", GemmRate(m, k, n), "GFLOP/s"));
        output.WriteLine(json
            ? "{" + string.Join(", ", figures.Select(f => $"\"{f.Key}\": {f.Value.ToString("F4", CultureInfo.InvariantCulture)}")) + "}"
            : string.Join("\n", figures.Select(f => $"{f.Key,-40} {f.Value,10:F3} {f.Unit}")));
        return 0;
    }

    /// <summary>Simulated counts written as a 10x folder, dropped, then read back sparse and fitted: the data path of a real run.</summary>
    private static void MeasureFromSparseFile(int cells, int genes, int epochs, List<(string, double, string)> figures, TextWriter error)
    {
        var folder = Directory.CreateTempSubdirectory("dsl-bench-scvi-").FullName;
        try
        {
            error.WriteLine($"scvi {cells} x {genes}: simulating and writing {folder}");
            var batch = WriteSimulation(cells, genes, folder);
            PeakMemory.Reset();
            var clock = Stopwatch.StartNew();
            var counts = TenXReader.Read(folder, new ReadOptions { RequireCounts = true });
            figures.Add(($"scvi_{cells}x{genes}_read_seconds", clock.Elapsed.TotalSeconds, "s"));
            error.WriteLine($"scvi {cells} x {genes}: read in {clock.Elapsed.TotalSeconds:F1} s; {epochs} epochs on {Environment.ProcessorCount} threads");
            Measure($"scvi_{cells}x{genes}", new ScviInputs(counts, batch, ["batch0", "batch1"]), epochs, figures, reset: false);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static int[] WriteSimulation(int cells, int genes, string folder)
    {
        var simulated = Simulate(cells, genes);
        MatrixWriter.WriteTenX(simulated.Counts, folder);
        return simulated.Batch;
    }

    /// <summary>Only the counts and batches: the generating truth (a dense mean matrix) is garbage before the run's peak is measured.</summary>
    private static ScviInputs Simulate(int cells, int genes)
    {
        var simulation = ScviSimulator.Simulate(new ScviSimulationSettings { Cells = cells, Genes = genes, Seed = 1 });
        return new ScviInputs(simulation.Counts, simulation.Batch, ["batch0", "batch1"]);
    }

    private static void Measure(string key, ScviInputs inputs, int epochs, List<(string, double, string)> figures, bool reset)
    {
        if (reset) PeakMemory.Reset();
        var fit = ScviFitter.Fit(inputs, new VariationalOptions { Epochs = epochs, Seed = 1, Patience = 0 });
        figures.Add(($"{key}_seconds_per_epoch", fit.Run.History.Skip(epochs / 4).Average(e => e.Seconds), "s"));
        figures.Add(($"{key}_peak_mb", PeakMemory.Megabytes(), "MB"));
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
