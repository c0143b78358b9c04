using System.Globalization;
using Dsl.Analysis.Ursm;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Bench;

/// <summary>
/// `dsl bench ursm`: seconds per EM iteration (50 burn-in + 150 recorded sweeps and the M-step) of the unified model
/// on section 4.1 data with L=100, M=150, K=3, at N=200 and N=1000, on all cores. The first iteration (JIT, first
/// allocation) is excluded; the figure is the mean of the next three.
/// </summary>
public static class UrsmBench
{
    public static int Run(bool json, TextWriter output, TextWriter error)
    {
        var figures = new List<(string Key, double Seconds)>();
        foreach (var genes in new[] { 200, 1000 })
        {
            error.WriteLine($"ursm N={genes}: 4 EM iterations on {Environment.ProcessorCount} threads");
            var sim = UrsmSimulator.Simulate(new UrsmSimulationSettings { Genes = genes, Seed = 1 });
            var fit = UrsmFitter.Fit(new UrsmInputs(3, sim.Y, sim.CellTypes, sim.X), new GibbsEmOptions { MaxIterations = 4, RelativeTolerance = 0 });
            figures.Add(($"ursm_n{genes}_seconds_per_em_iteration", fit.Run.Iterations.Skip(1).Average(e => e.Seconds)));
        }
        output.WriteLine(json
            ? "{" + string.Join(", ", figures.Select(f => $"\"{f.Key}\": {f.Seconds.ToString("F4", CultureInfo.InvariantCulture)}")) + "}"
            : string.Join("\n", figures.Select(f => $"{f.Key,-40} {f.Seconds,8:F3} s")));
        return 0;
    }
}
