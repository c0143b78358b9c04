using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Models.Tests.Variational;

/// <summary>scVI fitted by the generated VI code and the generic driver on small synthetic ZINB data.</summary>
public class ScviFitTests
{
    private static readonly ScviSimulation simulation = ScviSimulator.Simulate(new ScviSimulationSettings { Cells = 400, Genes = 60, Clusters = 3, Seed = 2 });
    private static ScviInputs Inputs => new(simulation.Counts, simulation.Batch, ["b0", "b1"]);
    private static VariationalOptions Options(int threads) => new() { Epochs = 12, WarmupEpochs = 4, Seed = 3, Threads = threads, Patience = 0 };

    [Fact]
    public void TrainingRaisesTheValidationElbo()
    {
        var fit = ScviFitter.Fit(Inputs, Options(2));
        var history = fit.Run.History;
        Assert.Equal(12, history.Count);
        Assert.All(history, h => Assert.True(double.IsFinite(h.ValidationElbo)));
        // From random networks to a fitted decoder the per-cell ELBO rises by far more than its epoch-to-epoch noise (a few nats).
        Assert.True(history[^1].ValidationElbo > history[0].ValidationElbo + 20, $"{history[0].ValidationElbo} -> {history[^1].ValidationElbo}");
    }

    [Fact]
    public void OnOverdispersedCounts_TheNegativeBinomialVariantsFitFarBetterThanPoisson()
    {
        double Validation(ScviLikelihood likelihood) =>
            ScviFitter.Fit(Inputs, Options(2) with { Epochs = 30 }, likelihood: likelihood).Run.History[^1].ValidationElbo;
        var zinb = Validation(ScviLikelihood.Zinb);
        var nb = Validation(ScviLikelihood.Nb);
        var poisson = Validation(ScviLikelihood.Poisson);
        // The simulator's counts are Gamma-Poisson with θ around 2.5 and a fifth of them dropped out: a Poisson
        // likelihood cannot spread them, which costs every cell tens of nats. NB and ZINB differ by much less.
        Assert.True(zinb > poisson + 20, $"ZINB {zinb:F1} vs Poisson {poisson:F1}");
        Assert.True(nb > poisson + 20, $"NB {nb:F1} vs Poisson {poisson:F1}");
        Assert.True(Math.Abs(zinb - nb) < 0.5 * (zinb - poisson), $"ZINB {zinb:F1} vs NB {nb:F1}");
    }

    [Fact]
    public void OneAndTwoThreadsGiveIdenticalParameters()
    {
        var one = ScviFitter.Fit(Inputs, Options(1) with { Epochs = 3 });
        var two = ScviFitter.Fit(Inputs, Options(2) with { Epochs = 3 });
        // Weights and batch-norm statistics alike.
        Assert.Equal(one.Variational.Parameters.Arrays, two.Variational.Parameters.Arrays);
    }

    [Fact]
    public void PopulationStatistics_ReplaceTheRunningAveragesAndNothingElse()
    {
        var averaged = ScviFitter.Fit(Inputs, Options(2) with { Epochs = 3, PopulationStatistics = false });
        var pooled = ScviFitter.Fit(Inputs, Options(2) with { Epochs = 3 });
        var trainable = averaged.Variational.Parameters.Trainable.Count;
        Assert.Equal(averaged.Variational.Parameters.Arrays.Take(trainable), pooled.Variational.Parameters.Arrays.Take(trainable));
        Assert.NotEqual(averaged.Variational.Parameters.Arrays.Skip(trainable), pooled.Variational.Parameters.Arrays.Skip(trainable));
        // The fit's final step is that pass over its own training cells.
        VariationalDriver.EstimatePopulationStatistics(averaged.Variational, averaged.Run.TrainingCells, Options(2));
        Assert.Equal(pooled.Variational.Parameters.Arrays, averaged.Variational.Parameters.Arrays);
    }

    [Fact]
    public void ResumedFitEqualsUninterruptedFit()
    {
        using var folder = new TempFolder();
        var checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        var everyEpoch = Options(2) with { Epochs = 4, CheckpointSeconds = 0 };
        var whole = ScviFitter.Fit(Inputs, everyEpoch);
        Assert.Throws<OperationCanceledException>(() => ScviFitter.Fit(Inputs, everyEpoch, checkpoint, progress: new StopAfter(2)));
        var resumed = ScviFitter.Fit(Inputs, everyEpoch, checkpoint, resume: true);
        Assert.Equal(4, resumed.Run.History.Count);
        Assert.Equal(whole.Variational.Parameters.Arrays, resumed.Variational.Parameters.Arrays);
    }

    /// <summary>
    /// With a checkpoint interval longer than the run, a killed fit has written nothing yet (it loses at most the
    /// interval), and a finished one has written its last epoch, from which a resume is complete at once.
    /// </summary>
    [Fact]
    public void CheckpointInterval_WritesAfterTheIntervalAndAtTheEnd_Only()
    {
        using var folder = new TempFolder();
        var checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        var rarely = Options(2) with { Epochs = 4, CheckpointSeconds = 3600 };

        Assert.Throws<OperationCanceledException>(() => ScviFitter.Fit(Inputs, rarely, checkpoint, progress: new StopAfter(2)));
        Assert.False(File.Exists(checkpoint));
        var whole = ScviFitter.Fit(Inputs, rarely, checkpoint);
        var resumed = ScviFitter.Fit(Inputs, rarely, checkpoint, resume: true);

        Assert.Equal(4, resumed.Run.History.Count);
        Assert.Equal(whole.Variational.Parameters.Arrays, resumed.Variational.Parameters.Arrays);
    }

    [Fact]
    public void EmptyCellsAreFitted_OutsideTheLibraryPrior_NonIntegerCountsAreRefused()
    {
        var dense = new double[,] { { 1, 2 }, { 0, 0 }, { 4, 5 } };
        var counts = Dsl.Runtime.Data.CountMatrix.FromDense(dense, ["a", "b", "c"], ["g1", "g2"]);
        // The prior's mean is that of log 3 and log 9: the empty cell 'b' is left out, as scvi-tools does.
        var model = ScviFitter.Prepare(new ScviInputs(counts, [0, 0, 0], ["all"]));
        Assert.Equal((Math.Log(3) + Math.Log(9)) / 2, model.Read("libraryLogMean")[0], 12);
        var error = Assert.Throws<ArgumentException>(() => ScviFitter.Prepare(new ScviInputs(counts, [0, 1, 0], ["x", "y"])));
        Assert.Contains("batch 'y' has no cells with counts", error.Message);
        var fractional = Dsl.Runtime.Data.CountMatrix.FromDense(new double[,] { { 1.5, 2 } }, ["a"], ["g1", "g2"]);
        Assert.Contains("non-integer", Assert.Throws<ArgumentException>(() => ScviFitter.Prepare(new ScviInputs(fractional, [0], ["all"]))).Message);
    }

    /// <summary>Simulates a run killed after some epochs: the progress callback throws once they are checkpointed.</summary>
    private sealed class StopAfter(int epochs) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value)
        {
            if (value.Epoch >= epochs) throw new OperationCanceledException("killed");
        }
    }
}
