using Dsl.Models.Scvi;
using Dsl.Runtime.Evaluation;
using Dsl.Runtime.Variational;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Models.Tests.Variational;

public class ScratchTests(ITestOutputHelper log)
{
    [Fact]
    public void Diagnose()
    {
        var sim = ScviSimulator.Simulate(new ScviSimulationSettings { Seed = 1 });
        var n = sim.Counts.Cells; var G = sim.Counts.Genes;
        log.WriteLine($"zeros {1 - sim.Counts.NonZeros / (double)(n * G):F3}");
        var inputs = new ScviInputs(sim.Counts, sim.Batch, ["b0", "b1"]);
        var corruption = Corruption.ZeroNonZeros(sim.Counts, 0.1, 5);
        var corrupted = inputs.WithCounts(corruption.Counts);
        var fit = ScviFitter.Fit(corrupted, new() { Epochs = 400, Seed = 7, Threads = 2 }, prior: LibraryPrior.FromData(corrupted, true));
        log.WriteLine($"epochs {fit.Run.History.Count} val {fit.Run.History[^1].ValidationElbo:F1} {fit.Seconds:F0}s");
        var est = ScviFitter.Estimate(fit.Model, fit.Variational);
        var truth = new float[n * G];
        for (var c = 0; c < n; c++) for (var g = 0; g < G; g++) truth[c * G + g] = (float)sim.TrueMean[c, g];
        log.WriteLine($"scVI {Corruption.MedianL1(corruption, est.Imputed, G):F3} truth {Corruption.MedianL1(corruption, truth, G):F3}");
    }
}
