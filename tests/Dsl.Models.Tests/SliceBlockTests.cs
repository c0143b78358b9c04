using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>The slice-sampling block's generated M-step terms: every parameter's gradient against central differences.</summary>
public sealed class SliceBlockTests
{
    [Fact]
    public void BinaryLikelihoodGradients_MatchCentralDifferences()
    {
        const int seeds = 20, plots = 6;
        var random = new RandomStream(17, 0);
        var model = new Germination { SeedCount = seeds, PlotCount = plots, interceptValues = -0.3, slopeValues = 0.8, plotVarianceValues = 0.6, doseValues = new double[seeds, plots] };
        var counts = new double[seeds, plots];
        for (var s = 0; s < seeds; s++)
        for (var p = 0; p < plots; p++)
        {
            var dose = model.doseValues[s, p] = random.NextNormal();
            counts[s, p] = random.NextDouble() < 1 - Math.Exp(-Math.Exp(-0.3 + 0.8 * dose)) ? 1 : 0;
        }
        model.yCounts = CountMatrix.FromDense(counts, Names(seeds), Names(plots));
        // One EM iteration leaves recorded sweeps of the plot effects for the Monte Carlo objective.
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 4 }).Run(model);
        Check(new Germination.interceptObjective(model, plugIn: false), [model.interceptValues + 0.2]);
        Check(new Germination.slopeObjective(model, plugIn: false), [model.slopeValues - 0.3]);
    }

    private static void Check(Dsl.Runtime.Inference.MStep.IProjectedObjective objective, double[] at)
    {
        var gradient = new double[at.Length];
        objective.Gradient(at, gradient);
        for (var n = 0; n < at.Length; n++)
        {
            const double h = 1e-5;
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[n] += h;
            down[n] -= h;
            var numeric = (objective.Value(up) - objective.Value(down)) / (2 * h);
            // Central differences of a smooth sum of ~2,000 terms are good to about 1e-8 relative; 1e-6 allows for cancellation.
            Assert.True(Math.Abs(numeric - gradient[n]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"entry {n}: analytic {gradient[n]}, numeric {numeric}");
        }
    }

    private static string[] Names(int count) => Enumerable.Range(1, count).Select(i => i.ToString()).ToArray();
}
