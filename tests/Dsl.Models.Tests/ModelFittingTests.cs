using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>
/// <see cref="ModelFitting"/>: any generated model fitted from C# in one call, data bound by node name, the engine the
/// model's default or the one named, progress reported the same way whatever the engine.
/// </summary>
public sealed class ModelFittingTests
{
    private const int Samples = 300;
    private const int Features = 4;

    /// <summary>A logistic regression simulated at a fixed prior variance, handed back as the data members a file would hold.</summary>
    private static (IReadOnlyList<NodeValues> Data, double[] Beta) Simulated()
    {
        var model = new LogisticRegression();
        IDeclaredModel declared = model;
        declared.SetPlateSize("Sample", Samples);
        declared.SetPlateSize("Feature", Features);
        var random = new Random(11);
        var x = Enumerable.Range(0, Samples * Features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        declared.Store("x", x);
        declared.Store("priorVariance", [4.0]);
        var truth = declared.Simulate(5, new SimulationSettings());
        return ([new NodeValues("x", [Samples, Features], x), new NodeValues("y", [Samples], truth["y"])], truth["beta"]);
    }

    [Fact]
    public void OneCall_FitsByTheDefaultEngine_OrTheNamedOne_AndReportsEachStep()
    {
        var (data, beta) = Simulated();
        var steps = new List<FitProgress>();
        var progress = new Collect(steps);

        var byDefault = ModelFitting.Fit(new LogisticRegression(), data, new FitOptions { GibbsEm = new GibbsEmOptions { MaxIterations = 5, Seed = 2 } }, progress);
        Assert.Equal(GibbsEmFit.Engine, byDefault.Engine);
        Assert.Equal(Enumerable.Range(1, 5), steps.Select(s => s.Done));
        Assert.All(steps, s => Assert.Equal(("EM iteration", 5), (s.Step, s.Total)));
        Assert.All(steps, s => Assert.StartsWith("expected complete log-likelihood", s.Detail));

        steps.Clear();
        var sampling = new NutsOptions { Chains = 2, Warmup = 200, Samples = 200, Seed = 3, Threads = 1 };
        var byNuts = ModelFitting.Fit(new LogisticRegression(), data, new FitOptions { Method = "nuts", Sampling = sampling }, progress);
        Assert.Equal(SamplingFit.Engine, byNuts.Engine);
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.Equal(("iteration", 400), (s.Step, s.Total)));
        Assert.Equal("warm-up", steps.First(s => s.Done <= 200).Detail);
        Assert.Equal("sampling", steps.Last().Detail);

        // Both engines find the simulated coefficients: 300 logistic observations over 4 features give each a
        // posterior sd near 0.2 (measured), so 0.6 is three sds.
        foreach (var fit in new[] { byDefault, byNuts })
        {
            var mean = fit.Nodes.Single(n => n.Node.Name == "beta").Mean;
            for (var f = 0; f < Features; f++) Assert.True(Math.Abs(mean[f] - beta[f]) < 0.6, $"{fit.Engine}: beta[{f + 1}] {mean[f]:F3} against {beta[f]:F3}");
        }
    }

    [Fact]
    public void AMethodTheModelHasNoCodeFor_IsRefused_NamingItsEngines()
    {
        var (data, _) = Simulated();
        var unknown = Assert.Throws<ArgumentException>(() => ModelFitting.Fit(new LogisticRegression(), data, new FitOptions { Method = "mcmc" }));
        Assert.Equal("unknown method 'mcmc'; use gibbs, gibbs-em, vi, nuts, lbfgs", unknown.Message);
        var other = Assert.Throws<ArgumentException>(() => ModelFitting.Fit(new LogisticRegression(), data, new FitOptions { Method = "vi" }));
        Assert.StartsWith("LogisticRegression is fitted by Gibbs-EM (gibbs-em) or ", other.Message);
        Assert.EndsWith(", not by variational inference", other.Message);
    }

    /// <summary>Collects the steps in the order the fit reports them (on its own thread).</summary>
    private sealed class Collect(List<FitProgress> steps) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) { lock (steps) steps.Add(value); }
    }
}
