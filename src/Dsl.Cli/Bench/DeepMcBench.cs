using System.Diagnostics;
using System.Globalization;
using Dsl.Analysis.DeepMc;
using Dsl.Runtime.Data;
using Dsl.Runtime.Neural;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Random;

namespace Dsl.Cli.Bench;

/// <summary>
/// `dsl bench deepmc`: the 3-layer deepMc fit (widths 20, 10, 5) of a simulated cells × 1,000 log-expression matrix
/// with 70 % of its entries missing, through the same path as `dsl fit deepmc` (generated objective, L-BFGS,
/// checkpoints every 10 s): seconds per pass over the data (one evaluation of the log likelihood and its gradient),
/// peak resident memory (the simulated matrix included), and the rate of the factor products within a pass against
/// the GEMM's own rate at the same shapes on all cores.
/// </summary>
public static class DeepMcBench
{
    private static readonly int[] widths = [20, 10, 5];

    public static int Run(bool json, bool large, TextWriter output, TextWriter error)
    {
        var figures = new List<(string Key, double Value, string Unit)>();
        var sizes = large ? new[] { (6800, 1000), (68000, 1000) } : new[] { (6800, 1000) };
        foreach (var (cells, genes) in sizes) Measure(cells, genes, figures, error);
        output.WriteLine(json
            ? "{" + string.Join(", ", figures.Select(f => $"\"{f.Key}\": {f.Value.ToString("F4", CultureInfo.InvariantCulture)}")) + "}"
            : string.Join("\n", figures.Select(f => $"{f.Key,-44} {f.Value,10:F3} {f.Unit}")));
        return 0;
    }

    private static void Measure(int cells, int genes, List<(string, double, string)> figures, TextWriter error)
    {
        var key = $"deepmc3_{cells}x{genes}";
        PeakMemory.Reset();
        error.WriteLine($"deepmc {cells} x {genes}: simulating");
        var inputs = Simulate(cells, genes);
        var folder = Directory.CreateTempSubdirectory("dsl-bench-deepmc-").FullName;
        try
        {
            const int iterations = 8;
            error.WriteLine($"deepmc {cells} x {genes}: {iterations} L-BFGS iterations on {Environment.ProcessorCount} threads");
            var checkpoint = new CheckpointPlan(Path.Combine(folder, "checkpoint.bin"), false, DeepMcFitter.Fingerprint(inputs));
            var fit = DeepMcFitter.Fit(inputs, 3, widths, new PointEstimationOptions { MaxIterations = iterations, Tolerance = 0 }, checkpoint, null);
            var evaluations = (int)fit.Fit.Settings["evaluations"];
            // The fit's time from its history (the simulation and the predictions excluded), per evaluation.
            var perPass = fit.Fit.History.Rows[^1][^1] / Math.Max(1, evaluations - 1);
            figures.Add(($"{key}_seconds_per_pass", perPass, "s"));
            figures.Add(($"{key}_peak_mb", PeakMemory.Megabytes(), "MB"));
            // The big product's three GEMMs as the fit issues them (forward, and the two backward with transposed views),
            // against the plain GEMM at the forward's shape: what share of the GEMM's rate the products keep in the fit.
            var (productSeconds, flops) = BigProductSeconds(cells, genes, widths[0]);
            figures.Add(($"{key}_products_gflops", flops / productSeconds / 1e9, "GFLOP/s"));
            figures.Add(($"{key}_gemm_gflops", PlainGemmRate(cells, genes, widths[0]), "GFLOP/s"));
            figures.Add(($"{key}_products_share_of_pass", productSeconds / perPass, "(rest: the entry loop)"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Y = max(0, U·V + noise) on the log scale: a rank-5 signal, about 70 % of its entries zero (missing).</summary>
    private static DeepMcInputs Simulate(int cells, int genes)
    {
        const int rank = 5;
        var random = new RandomStream(1, 0);
        var u = Enumerable.Range(0, cells * rank).Select(_ => random.NextNormal()).ToArray();
        var v = Enumerable.Range(0, genes * rank).Select(_ => random.NextNormal() * 0.6).ToArray();
        var y = new double[cells * genes];
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
            {
                var mean = -1.6;
                for (var k = 0; k < rank; k++) mean += u[c * rank + k] * v[g * rank + k];
                y[c * genes + g] = Math.Max(0, mean + 0.3 * random.NextNormal());
            }
        var names = (Enumerable.Range(0, cells).Select(c => $"cell{c}").ToList(), Enumerable.Range(0, genes).Select(g => $"gene{g}").ToList());
        return new DeepMcInputs(y, cells, names.Item1, names.Item2, Enumerable.Range(0, genes).ToArray(), Enumerable.Repeat(1.0, cells).ToArray(), 1, false);
    }

    /// <summary>
    /// One pass's GEMMs of the cells × genes product P = Aᵀ·Bᵀ (A = D₂D₃Z, w₁ × cells; B = D₁, genes × w₁), block by block
    /// as the generated code runs them: P's block, ∂A's columns += B ᵀ·∂Pᵀ, ∂B += ∂Pᵀ·Aᵀ's rows. Best of three; returns seconds and flops.
    /// </summary>
    private static (double Seconds, double Flops) BigProductSeconds(int cells, int genes, int width)
    {
        var a = Enumerable.Range(0, width * cells).Select(i => Math.Sin(i)).ToArray();
        var b = Enumerable.Range(0, genes * width).Select(i => Math.Cos(i)).ToArray();
        var (da, db) = (new double[a.Length], new double[b.Length]);
        var rows = Math.Min(cells, ProductBlocks.DefaultEntries / genes);
        var (p, dp) = (new double[rows * genes], Enumerable.Range(0, rows * genes).Select(i => Math.Sin(0.5 * i)).ToArray());
        var threads = Environment.ProcessorCount;
        var best = double.MaxValue;
        for (var repeat = 0; repeat < 3; repeat++)
        {
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < cells; start += rows)
            {
                var count = Math.Min(rows, cells - start);
                var left = MatrixView<double>.RowMajor(a, width, cells).Transposed().RowBlock(start, count);
                var right = MatrixView<double>.RowMajor(b, genes, width).Transposed();
                var adjoint = MatrixView<double>.RowMajor(dp, count, genes);
                Gemm.Multiply(left, right, p, 0, genes, false, threads);
                Gemm.Multiply(MatrixView<double>.RowMajor(b, genes, width).Transposed(), adjoint.Transposed(), da, start, cells, true, threads);
                Gemm.Multiply(adjoint.Transposed(), left, db, 0, width, true, threads);
            }
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return (best, 3 * 2.0 * cells * genes * width);
    }

    /// <summary>All cores' fp64 rate for C (cells × genes) = A (cells × w₁)·B (w₁ × genes), plain row-major, in the same blocks; best of three.</summary>
    private static double PlainGemmRate(int m, int n, int k)
    {
        var a = Enumerable.Range(0, m * k).Select(i => Math.Sin(i)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(i => Math.Cos(i)).ToArray();
        var rows = Math.Min(m, ProductBlocks.DefaultEntries / n);
        var c = new double[rows * n];
        var best = double.MaxValue;
        for (var repeat = 0; repeat < 3; repeat++)
        {
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < m; start += rows)
                Gemm.Multiply(MatrixView<double>.RowMajor(a, m, k).RowBlock(start, Math.Min(rows, m - start)), MatrixView<double>.RowMajor(b, k, n), c, 0, n, false, Environment.ProcessorCount);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * m * n * k / best / 1e9;
    }
}
