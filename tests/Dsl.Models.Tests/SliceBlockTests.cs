using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Random;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>The slice-sampling block's generated M-step terms: every parameter's gradient against central differences.</summary>
public sealed class SliceBlockTests
{
    [Fact]
    public void BinaryLikelihoodGradients_MatchCentralDifferences()
    {
        var model = Fitted();
        Check(new Germination.interceptObjective(model, plugIn: false), [model.interceptValues + 0.2]);
        Check(new Germination.slopeObjective(model, plugIn: false), [model.slopeValues - 0.3]);
    }

    /// <summary>A parameter in the slice-sampled effects' Student-t prior: its Monte Carlo log-prior term's gradient.</summary>
    [Fact]
    public void LatentPriorGradient_MatchesCentralDifferences()
    {
        var (dose, germinated) = Seeds(19);
        var model = new RobustGermination { SeedCount = SeedsPerPlot, PlotCount = Plots, interceptValues = -0.3, slopeValues = 0.8, plotScaleValues = 0.7, doseValues = dose, yCounts = germinated };
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 4 }).Run(model);
        Check(new RobustGermination.plotScaleObjective(model, plugIn: false), [model.plotScaleValues * 1.3]);
        // The effects' conditional is the joint up to a constant, with the Student-t prior's log density in it.
        var posterior = model.CreatePosterior();
        var position = new double[posterior.Dimension];
        for (var p = 0; p < Plots; p++) position[p] = model.uDraw(new RobustGermination.Plot(p));
        var gradient = new double[position.Length];
        foreach (var (a, b) in new[] { (-1.5, 0.4), (2.0, -0.3), (0.1, 1.2) })
        {
            var at = (double[])position.Clone();
            at[2] = a;
            var jointA = posterior.Evaluate(at, gradient);
            at[2] = b;
            var jointB = posterior.Evaluate(at, gradient);
            // Sums of twenty terms of order one: rounding leaves about 1e-13.
            Assert.True(Math.Abs(model.yLogConditionalu(2, a) - model.yLogConditionalu(2, b) - (jointA - jointB)) < 1e-9, $"u = {a} against {b}");
        }
    }

    /// <summary>
    /// The derived full conditional is the joint up to a constant: at random values of one plot effect, differences
    /// of the generated conditional equal differences of the model's joint log density (the NUTS posterior, written
    /// independently from the same declaration). Dropping a Bernoulli term or the prior breaks the equality.
    /// </summary>
    [Fact]
    public void FullConditional_DiffersAsTheJointDoes()
    {
        var model = Fitted();
        var posterior = model.CreatePosterior();
        var position = new double[posterior.Dimension];
        for (var p = 0; p < model.PlotCount; p++) position[p] = model.uDraw(new Germination.Plot(p));
        // The position holds u in plate order (its transform is the identity): read back, it gives the same values.
        var read = new double[model.PlotCount];
        var stream = new RandomStream(1, 1);
        Assert.True(posterior.TryReadLatent(position, "u", read, ref stream));
        Assert.Equal(position[..model.PlotCount], read);
        var random = new RandomStream(23, 0);
        var gradient = new double[position.Length];
        for (var trial = 0; trial < 20; trial++)
        {
            var plot = (int)(random.NextDouble() * model.PlotCount);
            // Within about two sds of the prior: further out the joint's log(1 - p) underflows (it evaluates 1 - p).
            var (a, b) = (random.NextNormal(), random.NextNormal());
            var at = (double[])position.Clone();
            at[plot] = a;
            var jointA = posterior.Evaluate(at, gradient);
            at[plot] = b;
            var jointB = posterior.Evaluate(at, gradient);
            var conditional = model.yLogConditionalu(plot, a) - model.yLogConditionalu(plot, b);
            // Both are sums of about twenty terms of order one: rounding leaves about 1e-13.
            Assert.True(Math.Abs(conditional - (jointA - jointB)) < 1e-9, $"plot {plot}: conditional {conditional}, joint {jointA - jointB}");
        }
        // The conditional's log(1 - p) is -Exp(eta) itself, so it stays finite where 1 - p rounds to zero, and its
        // log p is Log1mExp(-Exp(eta)), finite where p rounds to zero (eta below -37).
        Assert.True(double.IsFinite(model.yLogConditionalu(0, 8.0)));
        Assert.True(double.IsFinite(model.yLogConditionalu(0, -60.0)));
    }

    /// <summary>
    /// The probit link's generated terms: the M-step's Monte Carlo Bernoulli term against central differences (its
    /// derivative goes through LogPhi's), the effects' conditional differing as the joint does, and both logs finite
    /// where Phi rounds to 1 (eta = 9) or underflows (eta = -60).
    /// </summary>
    [Fact]
    public void ProbitLink_GradientsConditionalAndTails()
    {
        var (dose, germinated) = Seeds(29);
        var model = new ProbitGermination { SeedCount = SeedsPerPlot, PlotCount = Plots, interceptValues = -0.3, slopeValues = 0.8, plotVarianceValues = 0.6, doseValues = dose, yCounts = germinated };
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 4 }).Run(model);
        Check(new ProbitGermination.interceptObjective(model, plugIn: false), [model.interceptValues + 0.2]);
        Check(new ProbitGermination.slopeObjective(model, plugIn: false), [model.slopeValues - 0.3]);
        var posterior = model.CreatePosterior();
        var position = new double[posterior.Dimension];
        for (var p = 0; p < Plots; p++) position[p] = model.uDraw(new ProbitGermination.Plot(p));
        var gradient = new double[position.Length];
        foreach (var (a, b) in new[] { (-1.5, 0.4), (2.0, -0.3), (0.1, 1.2) })
        {
            var at = (double[])position.Clone();
            at[1] = a;
            var jointA = posterior.Evaluate(at, gradient);
            at[1] = b;
            var jointB = posterior.Evaluate(at, gradient);
            // Sums of twenty terms of order one: rounding leaves about 1e-13.
            Assert.True(Math.Abs(model.yLogConditionalu(1, a) - model.yLogConditionalu(1, b) - (jointA - jointB)) < 1e-9, $"u = {a} against {b}");
        }
        Assert.True(double.IsFinite(model.yLogConditionalu(0, 9.0)));
        Assert.True(double.IsFinite(model.yLogConditionalu(0, -60.0)));
    }

    private const int SeedsPerPlot = 20, Plots = 6;

    /// <summary>Doses and germination of 20 seeds on each of 6 plots, from p = 1 - exp(-exp(-0.3 + 0.8 dose)).</summary>
    private static (double[,] Dose, CountMatrix Germinated) Seeds(ulong seed)
    {
        var random = new RandomStream(seed, 0);
        var dose = new double[SeedsPerPlot, Plots];
        var counts = new double[SeedsPerPlot, Plots];
        for (var s = 0; s < SeedsPerPlot; s++)
        for (var p = 0; p < Plots; p++)
        {
            dose[s, p] = random.NextNormal();
            counts[s, p] = random.NextDouble() < 1 - Math.Exp(-Math.Exp(-0.3 + 0.8 * dose[s, p])) ? 1 : 0;
        }
        return (dose, CountMatrix.FromDense(counts, Names(SeedsPerPlot), Names(Plots)));
    }

    /// <summary>Germination on 20 seeds x 6 plots, simulated, after one EM iteration (recorded sweeps and current draws exist).</summary>
    private static Germination Fitted()
    {
        var (dose, germinated) = Seeds(17);
        var model = new Germination { SeedCount = SeedsPerPlot, PlotCount = Plots, interceptValues = -0.3, slopeValues = 0.8, plotVarianceValues = 0.6, doseValues = dose, yCounts = germinated };
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 4 }).Run(model);
        return model;
    }

    /// <summary>Smooth sums of about 2,000 terms: central differences agree to about 1e-8 relative; 1e-6 allows for cancellation.</summary>
    private static void Check(Dsl.Runtime.Inference.MStep.IProjectedObjective objective, double[] at) =>
        ObjectiveCheck.CentralDifferences(objective, at, Enumerable.Range(0, at.Length), 1e-6);

    private static string[] Names(int count) => Enumerable.Range(1, count).Select(i => i.ToString()).ToArray();
}
