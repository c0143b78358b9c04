using Dsl.Analysis.Gimvi;
using Dsl.Runtime.Variational;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Models.Tests.Variational;

/// <summary>gimVI fitted on a simulated pair: held-out spatial genes imputed from the sequenced cells through the shared latent space.</summary>
public class GimviFitTests(ITestOutputHelper output)
{
    [Fact]
    public void HeldOutSpatialGenesAreImputedBetterThanNearestNeighbours()
    {
        var simulation = GimviSimulator.Simulate(new GimviSimulationSettings
        {
            SequencedCells = 600, SpatialCells = 800, Genes = 200, SpatialGenes = 20, HeldOutGenes = 5, Seed = 3,
        });
        var options = new VariationalOptions { Epochs = 200, WarmupEpochs = 400, Seed = 5, Threads = 2 };
        var fit = GimviFitter.Fit(simulation.Inputs, SpatialLikelihood.Poisson, options);
        var heldGeneOf = simulation.HeldOut.GeneNames.Select(name => simulation.Inputs.Sequenced.GeneNames.ToList().IndexOf(name)).ToArray();
        var gimvi = GimviEvaluation.Median(GimviEvaluation.Spearman(simulation.HeldOut, heldGeneOf, fit.SpatialImputed, simulation.Inputs.Sequenced.Genes));
        var neighbours = GimviEvaluation.Median(GimviEvaluation.Spearman(simulation.HeldOut, heldGeneOf, GimviEvaluation.NearestNeighbours(simulation.Inputs), simulation.Inputs.Sequenced.Genes));
        output.WriteLine($"median Spearman over held-out genes: gimVI {gimvi:F3}, nearest neighbours {neighbours:F3}; {fit.Run.History.Count} epochs in {fit.Seconds:F1} s");
        Assert.True(gimvi > neighbours, $"gimVI {gimvi:F3} vs nearest neighbours {neighbours:F3}");
    }

    /// <summary>
    /// A joint fit killed after two epochs and resumed from its checkpoint ends where an uninterrupted one does, to the
    /// bit: the shared parameters, Adam's moments and the discriminator's weights and optimiser all come back.
    /// </summary>
    [Fact]
    public void ResumedJointFitEqualsUninterruptedFit_AdversaryIncluded()
    {
        var pair = GimviSimulator.Simulate(new GimviSimulationSettings { SequencedCells = 80, SpatialCells = 100, Genes = 40, SpatialGenes = 10, HeldOutGenes = 2, Seed = 6 }).Inputs;
        var options = new VariationalOptions { Epochs = 4, WarmupEpochs = 2, CheckpointSeconds = 0, Seed = 3, Threads = 2 };
        using var folder = new Dsl.Tests.Shared.TempFolder();
        var path = Path.Combine(folder.Path, "checkpoint.bin");
        var whole = GimviFitter.Fit(pair, SpatialLikelihood.Poisson, options);
        Assert.Throws<OperationCanceledException>(() => GimviFitter.Fit(pair, SpatialLikelihood.Poisson, options, checkpoint: new Dsl.Runtime.Data.CheckpointPlan(path, false, pair.Fingerprint()), progress: new StopAfter(2)));
        var resumed = GimviFitter.Fit(pair, SpatialLikelihood.Poisson, options, checkpoint: new Dsl.Runtime.Data.CheckpointPlan(path, true, pair.Fingerprint()));
        Assert.Equal(4, resumed.Run.History.Count);
        Assert.Equal(whole.Family.Parameters.Arrays, resumed.Family.Parameters.Arrays);
        Assert.Equal(whole.Family.Discriminators[0].Parameters.Arrays, resumed.Family.Discriminators[0].Parameters.Arrays);
        Assert.Equal(whole.SpatialImputed, resumed.SpatialImputed);
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
