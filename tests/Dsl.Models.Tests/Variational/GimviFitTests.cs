using Dsl.Models.Gimvi;
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
}
