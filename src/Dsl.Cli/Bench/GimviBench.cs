using System.Diagnostics;
using System.Globalization;
using Dsl.Analysis.Gimvi;
using Dsl.Cli.Gimvi;
using Dsl.Cli.Progress;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Bench;

/// <summary>
/// `dsl bench gimvi`: what `dsl fit gimvi` does, timed, on the synthetic pair (3,000 sequenced cells x 500
/// genes, 4,000 spatial cells x 26 genes) read from CSV files: seconds per epoch with the declared adversarial term and
/// with κ = 0, the whole command's seconds (reading, training with its checkpoints, every output), and the peak resident
/// memory. The first quarter of the epochs (JIT tiers, first allocations) is left out of the per-epoch mean.
/// </summary>
public static class GimviBench
{
    private const int Epochs = 20;

    public static int Run(bool json, TextWriter output, TextWriter error)
    {
        var folder = Directory.CreateTempSubdirectory("dsl-bench-gimvi-").FullName;
        try
        {
            error.WriteLine($"gimvi: simulating the pair into {folder}");
            var simulation = GimviSimulator.Simulate(new GimviSimulationSettings());
            var (seq, spatial) = (Path.Combine(folder, "seq.csv"), Path.Combine(folder, "spatial.csv"));
            MatrixWriter.WriteDense(simulation.Inputs.Sequenced, seq);
            MatrixWriter.WriteDense(simulation.Inputs.Spatial, spatial);
            var figures = new List<(string Key, double Value, string Unit)>();
            foreach (var kappa in new double?[] { null, 0 })
            {
                var name = kappa is null ? "gimvi" : "gimvi_kappa0";
                error.WriteLine($"{name}: {Epochs} epochs on {Environment.ProcessorCount} threads, outputs and checkpoints as `dsl fit gimvi` writes them");
                PeakMemory.Reset();
                var clock = Stopwatch.StartNew();
                var request = new GimviRequest(seq, spatial, SpatialLikelihood.Poisson, GimviFitter.DefaultLatent, kappa, Resume: false, Force: false);
                var options = new VariationalOptions { Epochs = Epochs, Seed = 1 };
                var outputs = OutputFolder.Open(Path.Combine(folder, name), "fit");
                GimviFitRunner.Run(request, options, outputs, TextWriter.Null, TextWriter.Null, ProgressMode.Quiet);
                var seconds = clock.Elapsed.TotalSeconds;
                var history = File.ReadAllLines(Path.Combine(folder, name, "history.csv")).Skip(1 + Epochs / 4)
                    .Select(line => double.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture)).ToList();
                figures.Add(($"{name}_seconds_per_epoch", history.Average(), "s"));
                figures.Add(($"{name}_command_seconds", seconds, "s"));
                figures.Add(($"{name}_peak_mb", PeakMemory.Megabytes(), "MB"));
            }
            output.WriteLine(json
                ? "{" + string.Join(", ", figures.Select(f => $"\"{f.Key}\": {f.Value.ToString("F4", CultureInfo.InvariantCulture)}")) + "}"
                : string.Join("\n", figures.Select(f => $"{f.Key,-40} {f.Value,10:F3} {f.Unit}")));
            return 0;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
