using Dsl.Analysis.Ursm;
using Dsl.Models.Ursm;
using Dsl.Runtime.Inference;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>URSM fitted by its generated Gibbs-EM on small section 4.1 data: recovery, determinism, resume.</summary>
public sealed class UrsmFitTests
{
    private static readonly UrsmSimulation simulation = UrsmSimulator.Simulate(new UrsmSimulationSettings { Genes = 120, Cells = 60, BulkSamples = 40, Seed = 4 });

    private static GibbsEmOptions Options(int threads, int iterations = 6) =>
        new() { BurnIn = 20, Samples = 40, MaxIterations = iterations, Seed = 9, Threads = threads };

    private static UrsmInputs Unified => new(3, simulation.Y, simulation.CellTypes, simulation.X);

    [Fact]
    public void UnifiedFit_BeatsTheNaiveEstimate_AndFindsTheBulkProportions()
    {
        var fit = UrsmFitter.Fit(Unified, Options(2));
        var estimates = UrsmEstimates.From(fit.Model);
        var naive = UrsmMetrics.L1(Dsl.Models.Ursm.Ursm.NaiveProfiles(simulation.Y, simulation.CellTypes, 3), simulation.A);
        var fitted = UrsmMetrics.L1(estimates.A, simulation.A);
        // The naive estimate is biased by dropouts (about 0.8 here, as in the paper); six short EM iterations halve it.
        Assert.True(fitted < 0.6 * naive, $"URSM L1 {fitted:F3} vs naive {naive:F3}");
        Assert.True(UrsmMetrics.L1PerSample(estimates.W, simulation.W) < 0.12, "W per-sample L1");
        Assert.True(UrsmMetrics.DropoutAuc(simulation.Y, simulation.S, (i, l) => 1 - estimates.S[i, l]) > 0.6, "dropout AUC");
    }

    [Fact]
    public void SameSeed_GivesIdenticalResults_OnOneAndTwoThreads()
    {
        var one = UrsmFitter.Fit(Unified, Options(1, iterations: 2)).Model;
        var two = UrsmFitter.Fit(Unified, Options(2, iterations: 2)).Model;
        Assert.Equal(ParameterArrays.Flat(one.AValues).ToArray(), ParameterArrays.Flat(two.AValues).ToArray());
        Assert.Equal(one.alphaValues, two.alphaValues);
        Assert.Equal(one.muTauValues, two.muTauValues);
        Assert.Equal(one.SPosteriorMean(new Ursm.Ursm.Gene(7), new Ursm.Ursm.Cell(3)), two.SPosteriorMean(new Ursm.Ursm.Gene(7), new Ursm.Ursm.Cell(3)));
    }

    [Fact]
    public void ResumedRun_EqualsAnUninterruptedOne()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dsl-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var straight = UrsmFitter.Fit(Unified, Options(2, iterations: 3)).Model;
            var checkpoint = Path.Combine(folder, "checkpoint.bin");
            UrsmFitter.Fit(Unified, Options(2, iterations: 1), checkpoint);
            var resumed = UrsmFitter.Fit(Unified, Options(2, iterations: 3), checkpoint, resume: true);
            Assert.Equal(1, resumed.Run.ResumedAfter);
            Assert.Equal(ParameterArrays.Flat(straight.AValues).ToArray(), ParameterArrays.Flat(resumed.Model.AValues).ToArray());
            Assert.Equal(straight.varKappaValues, resumed.Model.varKappaValues);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void PlugInNormaliser_AlsoBeatsTheNaiveEstimate()
    {
        var options = Options(2, iterations: 4) with { MStep = new MStepSettings(PlugInNormaliser: true) };
        var plugIn = UrsmFitter.Fit(Unified, options).Model;
        var monteCarlo = UrsmFitter.Fit(Unified, Options(2, iterations: 4)).Model;
        var naive = UrsmMetrics.L1(Dsl.Models.Ursm.Ursm.NaiveProfiles(simulation.Y, simulation.CellTypes, 3), simulation.A);
        // The paper's approximation of the normaliser is a different M-step objective, so A differs, but it is as
        // much a correction of the dropout bias.
        Assert.NotEqual(ParameterArrays.Flat(monteCarlo.AValues).ToArray(), ParameterArrays.Flat(plugIn.AValues).ToArray());
        Assert.True(UrsmMetrics.L1(plugIn.AValues, simulation.A) < 0.8 * naive);
    }

    [Fact]
    public void SingleCellSubmodel_FitsWithoutBulkData()
    {
        var fit = UrsmFitter.Fit(new UrsmInputs(3, simulation.Y, simulation.CellTypes, null), Options(2, iterations: 4));
        var naive = UrsmMetrics.L1(Dsl.Models.Ursm.Ursm.NaiveProfiles(simulation.Y, simulation.CellTypes, 3), simulation.A);
        Assert.True(UrsmMetrics.L1(fit.Model.AValues, simulation.A) < 0.8 * naive);
    }

    [Fact]
    public void BulkSubmodel_WithMarkers_SeparatesTheTypes()
    {
        var markers = simulation.MarkerGenes.Select((t, i) => (t, i)).Where(p => p.t >= 0).ToDictionary(p => p.i, p => p.t);
        var fit = UrsmFitter.Fit(new UrsmInputs(3, null, null, simulation.X, markers), Options(2, iterations: 6));
        var estimates = UrsmEstimates.From(fit.Model);
        // Without markers the types could come out in any order; with them each W row tracks its own type.
        for (var t = 0; t < 3; t++)
        {
            var truth = Enumerable.Range(0, simulation.W.GetLength(1)).Select(j => simulation.W[t, j]).ToArray();
            var fitted = Enumerable.Range(0, simulation.W.GetLength(1)).Select(j => estimates.W[t, j]).ToArray();
            Assert.True(Pearson.Correlation(truth, fitted) > 0.8, $"type {t}");
        }
    }

    [Fact]
    public void BadInputs_AreRefusedWithTheReason()
    {
        var y = (int[,])simulation.Y.Clone();
        Assert.Contains("outside 0..2", Assert.Throws<ArgumentException>(() => UrsmFitter.Prepare(new UrsmInputs(3, y, simulation.CellTypes.Select(t => t == 2 ? 3 : t).ToArray(), null))).Message);
        Assert.Contains("one type per cell", Assert.Throws<ArgumentException>(() => UrsmFitter.Prepare(new UrsmInputs(3, y, simulation.CellTypes[1..], null))).Message);
        for (var i = 0; i < y.GetLength(0); i++) y[i, 5] = 0;
        Assert.Contains("no reads", Assert.Throws<ArgumentException>(() => UrsmFitter.Prepare(new UrsmInputs(3, y, simulation.CellTypes, null))).Message);
        Assert.Contains("marker", Assert.Throws<ArgumentException>(() => UrsmFitter.Prepare(new UrsmInputs(4, simulation.Y, simulation.CellTypes, null))).Message);
    }
}
