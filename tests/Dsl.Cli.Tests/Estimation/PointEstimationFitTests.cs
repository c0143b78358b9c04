using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Estimation;

/// <summary>
/// Maximum likelihood by L-BFGS on the generated objectives: the estimates the closed forms give where they exist,
/// exact completion of low-rank data, and the same estimates at any thread count and after a resume.
/// </summary>
public sealed class PointEstimationFitTests(EstimationDeclarations declarations) : IClassFixture<EstimationDeclarations>
{
    private static readonly PointEstimationOptions exact = new() { Tolerance = 0, MaxIterations = 5000, Threads = 1 };

    private static double[] Read(IDeclaredModel model, string node)
    {
        var values = new double[model.Descriptor.Find(node)!.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b)];
        Assert.True(model.TryRead(node, values));
        return values;
    }

    [Fact]
    public void OneLayer_CompletesExactlyLowRankData_WithThirtyPercentMissing()
    {
        // A rank-3 matrix of 120 cells x 40 genes with 30 % of its entries zeroed ([ZerosMissing]); 3 factors.
        const int cells = 120, genes = 40, rank = 3;
        var random = new RandomStream(7, 0);
        var basis = Enumerable.Range(0, genes * rank).Select(_ => random.NextNormal()).ToArray();
        var coefficient = Enumerable.Range(0, rank * cells).Select(_ => random.NextNormal()).ToArray();
        var truth = new double[cells * genes];
        var observed = new double[cells * genes];
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
            {
                for (var k = 0; k < rank; k++) truth[c * genes + g] += basis[g * rank + k] * coefficient[k * cells + c];
                observed[c * genes + g] = random.NextDouble() < 0.3 ? 0 : truth[c * genes + g];
            }
        var model = declarations.Create("LowRank");
        model.SetPlateSize("Cell", cells);
        model.SetPlateSize("Gene", genes);
        model.SetPlateSize("Factor", rank);
        model.Store("expression", observed);
        model.InitializeParameters();
        var fit = PointEstimationFit.Fit(model, exact, null, null);
        var completed = fit.DenseOutputs.Single(o => o.Node.Name == "expression_expected").Mean;
        var (error, size) = (0.0, 0.0);
        for (var e = 0; e < truth.Length; e++)
            if (observed[e] == 0)
            {
                error += Math.Pow(completed[e] - truth[e], 2);
                size += truth[e] * truth[e];
            }
        // Exactly low-rank data with ~3,400 measured entries for 480 unknowns: the masked entries are determined, and
        // L-BFGS run to floating-point precision reaches them to far better than the 1e-6 relative error.
        Assert.True(Math.Sqrt(error / size) < 1e-6, $"relative error on the masked entries {Math.Sqrt(error / size)}");
        Assert.StartsWith("converged", fit.Outcome);
    }

    [Fact]
    public void PoissonNmfWithOneProgram_GivesTheClosedFormRankOneEstimate()
    {
        // With one program the Poisson MLE of size(c)·a(c)·l(g) has fitted means (row total)(column total)/(grand total).
        var model = declarations.Simulated("PoissonNmf", new Dictionary<string, int> { ["Cell"] = 30, ["Gene"] = 8, ["Program"] = 1 }, 3);
        var counts = Read(model, "count");
        PointEstimationFit.Fit(model, exact, null, null);
        var (size, activity, loading) = (Read(model, "size"), Read(model, "activity"), Read(model, "loading"));
        var total = counts.Sum();
        for (var c = 0; c < 30; c++)
            for (var g = 0; g < 8; g++)
            {
                var rowTotal = Enumerable.Range(0, 8).Sum(j => counts[c * 8 + j]);
                var columnTotal = Enumerable.Range(0, 30).Sum(i => counts[i * 8 + g]);
                var expected = rowTotal * columnTotal / total;
                // Converged to the loss's precision: fitted means agree to 1e-6 relative.
                Assert.Equal(expected, size[c] * activity[c] * loading[g], 1e-6 * (1 + expected));
            }
    }

    [Fact]
    public void SimplexFrequencies_AreTheObservedShares()
    {
        var model = declarations.Simulated("Frequencies", new Dictionary<string, int> { ["Choice"] = 200, ["Category"] = 4 }, 5);
        var choices = Read(model, "choice");
        PointEstimationFit.Fit(model, exact, null, null);
        var p = Read(model, "p");
        Assert.Equal(1, p.Sum(), 1e-12);
        for (var k = 0; k < 4; k++) Assert.Equal(choices.Count(c => c == k) / 200.0, p[k], 1e-7);
    }

    /// <summary>
    /// A Dirichlet(3) prior on the shares adds two pseudo-counts per category: the MAP is (n_k + 2) / (N + 2K), which
    /// moves a share by (2N − 2K n_k) / (N (N + 2K)), away from the observed shares wherever n_k is away from N / K
    /// (checked first); a prior left out, or counted with c rather than c − 1 pseudo-counts, misses the 1e-7.
    /// </summary>
    [Fact]
    public void SimplexFrequenciesWithADirichletPrior_AreTheSmoothedShares()
    {
        var model = declarations.Simulated("SmoothedFrequencies", new Dictionary<string, int> { ["Choice"] = 60, ["Category"] = 4 }, 5);
        var choices = Read(model, "choice");
        PointEstimationFit.Fit(model, exact, null, null);
        var p = Read(model, "p");
        double Count(int k) => choices.Count(c => c == k);
        Assert.True(Enumerable.Range(0, 4).Max(k => Math.Abs((Count(k) + 2) / 68.0 - Count(k) / 60.0)) > 0.005, "the simulated counts should tell the MAP from the MLE");
        Assert.Equal(1, p.Sum(), 1e-12);
        for (var k = 0; k < 4; k++) Assert.Equal((Count(k) + 2) / (60.0 + 8), p[k], 1e-7);
    }

    [Fact]
    public void MultiOutputRegression_GivesLeastSquaresAndTheResidualSd()
    {
        var model = declarations.Simulated("MultiOutput", new Dictionary<string, int> { ["Sample"] = 50, ["Covariate"] = 3, ["Output"] = 2 }, 9);
        var (x, y) = (Read(model, "x"), Read(model, "y"));
        PointEstimationFit.Fit(model, exact, null, null);
        var (beta, noise) = (Read(model, "beta"), Read(model, "noise"));
        // The normal equations XᵀX β = Xᵀy per output, solved here by MathNet; the MLE of the sd is the root mean square residual.
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(50, 3, (n, j) => x[n * 3 + j]);
        for (var o = 0; o < 2; o++)
        {
            var response = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(50, n => y[n * 2 + o]);
            var ols = design.TransposeThisAndMultiply(design).Solve(design.TransposeThisAndMultiply(response));
            for (var j = 0; j < 3; j++) Assert.Equal(ols[j], beta[j * 2 + o], 1e-6);
            var residual = response - design * ols;
            Assert.Equal(Math.Sqrt(residual.DotProduct(residual) / 50), noise[o], 1e-6);
        }
    }

    [Fact]
    public void MixtureWithSummedAllocations_ReachesEmsFixedPoint_AndReportsTheResponsibilities()
    {
        // 400 draws from three well-separated normals. At a maximum of the marginal likelihood, the responsibilities
        // r(n, k) = p(component n = k | y, θ) that the fit reports satisfy EM's update equations, computed here from
        // the data alone: weight_k = mean_n r(n, k), centre_k = Σ r y / Σ r, spread_k² = Σ r (y − centre)² / Σ r.
        var model = declarations.Create("Mixture");
        model.SetPlateSize("Sample", 400);
        model.SetPlateSize("Component", 3);
        model.InitializeParameters();
        model.Store("weight", [0.3, 0.3, 0.4]);
        model.Store("centre", [-3, 0, 3]);
        model.Store("spread", [0.5, 0.8, 0.6]);
        model.Store("y", model.Simulate(4, new SimulationSettings())["y"]);
        // Start the centres apart and in order, so the fit ends with the components in the truth's order.
        model.Store("centre", [-1, 0, 1]);
        model.Store("spread", [1, 1, 1]);
        var fit = PointEstimationFit.Fit(model, exact, null, null);
        var y = Read(model, "y");
        var (weight, centre, spread) = (Read(model, "weight"), Read(model, "centre"), Read(model, "spread"));
        var responsibility = fit.DenseOutputs.Single(o => o.Node.Name == "component_probability");
        Assert.Equal(["Sample", "Component"], responsibility.Node.Plates);
        var r = responsibility.Mean;
        for (var n = 0; n < 400; n++) Assert.Equal(1, r[3 * n] + r[3 * n + 1] + r[3 * n + 2], 1e-12);
        for (var k = 0; k < 3; k++)
        {
            var total = Enumerable.Range(0, 400).Sum(n => r[3 * n + k]);
            var mean = Enumerable.Range(0, 400).Sum(n => r[3 * n + k] * y[n]) / total;
            var variance = Enumerable.Range(0, 400).Sum(n => r[3 * n + k] * (y[n] - mean) * (y[n] - mean)) / total;
            // Converged to the loss's precision (tolerance 0): the stationarity conditions hold to about 1e-7.
            Assert.Equal(total / 400, weight[k], 1e-6);
            Assert.Equal(mean, centre[k], 1e-6);
            Assert.Equal(Math.Sqrt(variance), spread[k], 1e-6);
        }
        // And the fixed point found is the truth's neighbourhood: 400 draws put each centre within 0.2 (about 3 standard errors).
        Assert.Equal(-3, centre[0], 0.2);
        Assert.Equal(0, centre[1], 0.2);
        Assert.Equal(3, centre[2], 0.2);
    }

    [Fact]
    public void ZeroOneLatent_IsSummedOut_AndItsProbabilityReported()
    {
        // Responders shifted by 4 noise sds: p(responder = 1 | y) is near 1 for the shifted draws and near 0 for the others.
        var model = declarations.Create("Responders");
        model.SetPlateSize("Sample", 300);
        model.InitializeParameters();
        model.Store("shareLogit", [0.5]);
        model.Store("baseline", [1]);
        model.Store("effect", [4]);
        model.Store("noise", [1]);
        var drawn = model.Simulate(8, new SimulationSettings());
        model.Store("y", drawn["y"]);
        model.Store("effect", [1]);
        var fit = PointEstimationFit.Fit(model, exact, null, null);
        var probability = fit.DenseOutputs.Single(o => o.Node.Name == "responder_probability").Mean;
        var truth = drawn["responder"];
        var agreement = Enumerable.Range(0, 300).Count(n => (probability[n] > 0.5 ? 1 : 0) == truth[n]) / 300.0;
        // Two normals 4 sds apart overlap by Φ(−2) ≈ 2.3 % on each side of the midpoint: about 97.7 % classified right.
        Assert.True(agreement > 0.95, $"agreement {agreement}");
        Assert.Equal(4, Read(model, "effect")[0], 0.4);
    }

    [Fact]
    public void MinibatchAdam_ApproachesTheLbfgsOptimum_AndIsReproducible()
    {
        var plates = new Dictionary<string, int> { ["Cell"] = 200, ["Gene"] = 30, ["Factor"] = 3 };
        double Fit(PointEstimationOptions options, CheckpointPlan? checkpoint = null)
        {
            var model = declarations.Simulated("RidgeLowRank", plates, 13);
            model.InitializeParameters();
            return (double)PointEstimationFit.Fit(model, options, checkpoint, null).Settings["log_likelihood"];
        }
        var optimum = Fit(exact);
        var adam = new PointEstimationOptions { Optimiser = Optimiser.Adam, Epochs = 200, BatchSize = 20, LearningRate = 0.02, Threads = 1 };
        var reached = Fit(adam);
        // 6,000 observations: 200 epochs of 10 steps leave Adam's noise at a few units of log likelihood (a relative
        // 1e-3 of the optimum's size), where the start is thousands below.
        Assert.InRange(reached, optimum - 1e-3 * Math.Abs(optimum), optimum + 1e-9 * Math.Abs(optimum));
        Assert.Equal(reached, Fit(adam with { Threads = 2 }));
        using var folder = new Dsl.Tests.Shared.TempFolder();
        var path = Path.Combine(folder.Path, "checkpoint.bin");
        Fit(adam with { Epochs = 70, CheckpointSeconds = 0 }, new CheckpointPlan(path, false, "data"));
        Assert.Equal(reached, Fit(adam, new CheckpointPlan(path, true, "data")));
    }

    [Fact]
    public void AFitStoppedWhileItsObjectiveStillClimbs_IsWarnedOf_AndAConvergedOneIsNot()
    {
        var plates = new Dictionary<string, int> { ["Cell"] = 200, ["Gene"] = 15, ["Factor"] = 2 };
        var warnings = new List<string>();
        var unbounded = declarations.Simulated("UnboundedFactors", plates, 1);
        unbounded.InitializeParameters();
        var fit = PointEstimationFit.Fit(unbounded, new PointEstimationOptions { MaxIterations = 1000 }, null, null, warnings.Add);
        // Measured: the log likelihood climbs from about −4,200 at iteration 100 to −2,900 at 1,000 as noise sds collapse.
        Assert.StartsWith("reached --iterations", fit.Outcome);
        Assert.Contains(warnings, w => w.StartsWith("the log likelihood was still rising when the fit stopped", StringComparison.Ordinal) && w.Contains("[Floor]"));
        warnings.Clear();
        var ridge = declarations.Simulated("RidgeLowRank", plates, 1);
        ridge.InitializeParameters();
        PointEstimationFit.Fit(ridge, new PointEstimationOptions { MaxIterations = 1000 }, null, null, warnings.Add);
        Assert.Empty(warnings);
    }

    [Fact]
    public void MinibatchAdam_WithoutARowPlate_IsRefusedInOneLine()
    {
        var model = declarations.Simulated("Frequencies", new Dictionary<string, int> { ["Choice"] = 20, ["Category"] = 3 }, 5);
        var refusal = Assert.Throws<InvalidDataException>(() => PointEstimationFit.Fit(model, new PointEstimationOptions { Optimiser = Optimiser.Adam }, null, null));
        Assert.Equal("Frequencies's observations share no first plate to draw minibatches over; fit it with L-BFGS", refusal.Message);
    }

    [Fact]
    public void Estimates_AreTheSameAtAnyThreadCount_AndAfterAResume()
    {
        // Blocks of 600 entries (10 of the 300 cells): the fit runs through the blocked products' forward and backward GEMMs.
        using var blocks = Runtime.Neural.ProductBlocks.Limit(600);
        var plates = new Dictionary<string, int> { ["Cell"] = 300, ["Gene"] = 60, ["Wide"] = 8, ["Middle"] = 5, ["Narrow"] = 3 };
        double[] Fit(int threads, Func<IPointEstimatedModel, PointEstimationOptions, DeclaredFit> run)
        {
            var model = declarations.Simulated("ThreeLayers", plates, 11);
            model.InitializeParameters();
            run(model, new PointEstimationOptions { MaxIterations = 60, Threads = threads });
            return Read(model, "z");
        }
        var one = Fit(1, (m, o) => PointEstimationFit.Fit(m, o, null, null));
        var two = Fit(2, (m, o) => PointEstimationFit.Fit(m, o, null, null));
        Assert.Equal(one, two);
        using var folder = new Dsl.Tests.Shared.TempFolder();
        var path = Path.Combine(folder.Path, "checkpoint.bin");
        var resumed = Fit(2, (m, o) =>
        {
            PointEstimationFit.Fit(m, o with { MaxIterations = 25 }, new CheckpointPlan(path, false, "data"), null);
            m.InitializeParameters();
            return PointEstimationFit.Fit(m, o, new CheckpointPlan(path, true, "data"), null);
        });
        Assert.Equal(one, resumed);
    }
}
