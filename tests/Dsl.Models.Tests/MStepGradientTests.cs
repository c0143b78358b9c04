using Dsl.Analysis.Ursm;
using Dsl.Models.Tests.Generality;
using Dsl.Models.Ursm;
using Dsl.Runtime.Inference;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>
/// Every generated M-step objective of the bundled and test models against central differences, after a short fit
/// leaves recorded sweeps: URSM's profile (allocation counts, Polya-Gamma statistics, the multinomial normaliser by
/// Monte Carlo and by plug-in) and concentration, the topic model's profile and concentration.
/// </summary>
public sealed class MStepGradientTests
{
    private static readonly UrsmSimulation simulation = UrsmSimulator.Simulate(new UrsmSimulationSettings { Genes = 100, Cells = 30, BulkSamples = 20, Seed = 5 });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UrsmObjectives_MatchCentralDifferences(bool plugIn)
    {
        var model = UrsmFitter.Fit(new UrsmInputs(3, simulation.Y, simulation.CellTypes, simulation.X),
            new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 2, Threads = 2 }).Model;
        // Away from the fitted point (where the gradient is near zero along the simplex), entries kept positive.
        var a = ParameterArrays.Flat(model.AValues).ToArray().Select((v, n) => v * (1 + 0.2 * Math.Sin(n))).ToArray();
        // Every 7th of the 300 profile entries: each type and many genes are visited.
        ObjectiveCheck.CentralDifferences(new Ursm.Ursm.AObjective(model, plugIn), a, Enumerable.Range(0, a.Length).Where(n => n % 7 == 0));
        var alpha = model.alphaValues.Select(v => v * 1.3).ToArray();
        ObjectiveCheck.CentralDifferences(new Ursm.Ursm.alphaObjective(model, plugIn), alpha, Enumerable.Range(0, alpha.Length));
    }

    [Fact]
    public void TopicModelObjectives_MatchCentralDifferences()
    {
        const int words = 12, topics = 2, documents = 30;
        var random = new Dsl.Runtime.Random.RandomStream(3, 0);
        var counts = new int[words, documents];
        for (var v = 0; v < words; v++) for (var d = 0; d < documents; d++) counts[v, d] = (int)(random.NextDouble() * 6);
        var start = new double[words, topics];
        for (var v = 0; v < words; v++) for (var t = 0; t < topics; t++) start[v, t] = (1.0 + 0.1 * (v + t) % 3) / words;
        for (var t = 0; t < topics; t++)
        {
            var total = 0.0;
            for (var v = 0; v < words; v++) total += start[v, t];
            for (var v = 0; v < words; v++) start[v, t] /= total;
        }
        var model = new TopicModel { WordCount = words, TopicCount = topics, DocumentCount = documents, countCounts = Dsl.Runtime.Models.RowMajor.ToCountMatrix(counts), phiValues = start, alphaValues = [0.7, 1.2] };
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 3 }).Run(model);
        var phi = ParameterArrays.Flat(model.phiValues).ToArray().Select((v, n) => v * (1 + 0.1 * Math.Cos(n))).ToArray();
        ObjectiveCheck.CentralDifferences(new TopicModel.phiObjective(model, plugIn: false), phi, Enumerable.Range(0, phi.Length));
        ObjectiveCheck.CentralDifferences(new TopicModel.alphaObjective(model, plugIn: false), [0.9, 1.4], [0, 1]);

        // The same data, each concentration Exp(logAlpha(t)): the gradient goes through the generated slope Exp(logAlpha(t)).
        var logScale = new LogConcentrationTopics { WordCount = words, TopicCount = topics, DocumentCount = documents, countCounts = model.countCounts, phiValues = start, logAlphaValues = [Math.Log(0.7), Math.Log(1.2)] };
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 3 }).Run(logScale);
        ObjectiveCheck.CentralDifferences(new LogConcentrationTopics.logAlphaObjective(logScale, plugIn: false), [-0.1, 0.3], [0, 1]);
    }
}
