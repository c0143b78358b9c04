using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// Every generated log posterior's gradient against central finite differences of the generated log posterior
/// itself, at random points of the unconstrained scale: the reverse-mode code, the transforms' Jacobians and the
/// kernels' partials all enter it.
/// </summary>
public sealed class GeneratedGradientTests(CompiledDeclarations declarations) : IClassFixture<CompiledDeclarations>
{
    private static readonly string[] textbook = ["BetaBernoulli", "BlrSharedNames", "Compositions", "CrossedItemResponse", "ExplicitZip", "GammaPoisson", "GaussianMixture", "Germination", "LogisticNormalCounts", "NormalMixture", "OrderedMeans", "OrderedRates", "PoissonMixture", "PoissonRandomEffect", "ProbitRegression", "RobustLogistic", "SimplexPrior", "SoftmaxRegression", "StudentTScale", "VaryingIntercepts", "ZinbMeans"];

    public static TheoryData<string> Textbook => new(textbook);

    public static TheoryData<string> Posteriordb => new(CompiledDeclarations.Posteriordb);

    [Fact]
    public void TheTheoryData_CoverEveryTextbookModel() => Assert.Equal(textbook, declarations.TextbookModels);

    [Theory]
    [MemberData(nameof(Textbook))]
    public void TextbookModels_OnTheirOwnSimulations(string name)
    {
        var model = declarations.Textbook(name);
        CompiledDeclarations.SimulateInto(model, 6, 17);
        AssertGradient(model.CreatePosterior(), 0.5, 23);
        AssertParameterGradients(model);
    }

    /// <summary>∂log p/∂(each parameter entry), read after an evaluation, against differences of stored parameter values.</summary>
    private static void AssertParameterGradients(ISampledModel model)
    {
        var posterior = model.CreatePosterior();
        ParameterGradientCheck.Assert(model, posterior, Enumerable.Repeat(0.3, posterior.Dimension).ToArray(), 1e-5);
    }

    [Theory]
    [MemberData(nameof(Posteriordb))]
    public void PosteriordbModels_OnTheirReferenceData(string folder) =>
        // Unconstrained points near the posterior's bulk would be better conditioned; points in (-0.5, 0.5) are far
        // from it for these data (log densities of -1e4 and more), which tests the partials where they are large.
        AssertGradient(declarations.Posterior(folder).CreatePosterior(), 0.5, 29);

    /// <summary>
    /// A complementary log-log Bernoulli, p = 1 − exp(−exp(η)), far out on both sides: 1 − p underflows from η = 3.6 on
    /// and p below η = −37, so log p(y) taken from p would be −∞ there. The sampler writes log(1 − p) = −exp(η) and
    /// log p = log1mexp(−exp(η)) instead: finite, with the exact slope.
    /// </summary>
    [Fact]
    public void AComplementaryLogLogBernoulli_StaysFiniteWhereItsProbabilityRoundsToZeroOrOne()
    {
        var model = declarations.Textbook("Germination");
        foreach (var (plate, size) in new[] { ("Seed", 2), ("Plot", 1) }) model.SetPlateSize(plate, size);
        model.Store("dose", [1.0, 1.0]);
        model.InitializeParameters();
        model.Store("intercept", [0.0]);
        model.Store("slope", [0.0]);
        model.Store("plotVariance", [1e4]);
        var gradient = new double[1];
        foreach (var (u, y) in new[] { (40.0, 0.0), (-60.0, 1.0) })
        {
            model.Store("y", [y, y]);
            var posterior = model.CreatePosterior();
            var logDensity = posterior.Evaluate([u], gradient);
            // The two entries' log p(y | u) is −2·exp(40) at y = 0 (about −4.7e17), and 2·log(1 − exp(−exp(−60))) ≈ 2·(−60) at
            // y = 1; the prior adds −u²/2e4 and its constant. Slopes: −2·exp(40) and about 2 (d/du of 2u), minus u/1e4.
            var expected = y == 0 ? -2 * Math.Exp(u) : 2 * u;
            Assert.True(double.IsFinite(logDensity), $"u = {u}: log density {logDensity}");
            Assert.Equal(expected, logDensity, Math.Abs(expected) * 1e-6 + 20);
            Assert.Equal(y == 0 ? -2 * Math.Exp(u) : 2.0, gradient[0], Math.Abs(y == 0 ? 2 * Math.Exp(u) : 2) * 1e-6 + 0.01);
        }
    }

    /// <summary>
    /// An observed log-normal is evaluated as a Normal of its logs, taken once, minus log y: the same log density as
    /// the log-normal kernel entry by entry (earnings: flat priors, sigma on the log scale with its Jacobian u).
    /// </summary>
    [Fact]
    public void AnObservedLogNormal_ReadThroughItsLogs_HasTheLogNormalsDensity()
    {
        var model = declarations.Posterior("earnings-logearn_height");
        var data = Dsl.Runtime.Models.JsonModelData.Read(Path.Combine(Dsl.Tests.Shared.RepoPaths.PosteriordbFixture("earnings-logearn_height"), "data.json"));
        double[] Member(string name) => data.Single(m => m.Member == name).Values;
        var (earn, height) = (Member("earn"), Member("height"));
        var posterior = model.CreatePosterior();
        double[] at = [5.8, 0.06, Math.Log(0.9)];
        var expected = at[2];
        for (var n = 0; n < earn.Length; n++) expected += LogDensity.LogNormal(earn[n], at[0] + at[1] * height[n], 0.9, out _, out _, out _);
        // Summed over 1,059 entries in another order: rounding near 1e-12 of the total.
        Assert.Equal(expected, posterior.Evaluate(at, new double[3]), Math.Abs(expected) * 1e-10);
    }

    [Fact]
    public void IndexNamesSharedAcrossAnInlinedNode_GiveTheSamePosterior()
    {
        // The same regression written with distinct index names (tests/posteriordb/sblri-blr.cs) and with the observation's
        // index named like the inlined Sum's variable: at any point their log densities and gradients agree exactly.
        var data = Path.Combine(Dsl.Tests.Shared.RepoPaths.PosteriordbFixture("sblri-blr"), "data.json");
        var shared = declarations.Textbook("BlrSharedNames");
        Dsl.Runtime.Models.DataBinder.Bind(shared, Dsl.Runtime.Models.JsonModelData.Read(data), data, _ => { });
        var (a, b) = (declarations.Posterior("sblri-blr").CreatePosterior(), shared.CreatePosterior());
        var random = new RandomStream(31, 0);
        var (ga, gb) = (new double[a.Dimension], new double[b.Dimension]);
        for (var point = 0; point < 3; point++)
        {
            var at = Enumerable.Range(0, a.Dimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            Assert.Equal(a.Evaluate(at, ga), b.Evaluate(at, gb));
            Assert.Equal(ga, gb);
        }
    }

    private static void AssertGradient(IPosterior posterior, double radius, ulong seed)
    {
        var random = new RandomStream(seed, 0);
        var dimension = posterior.Dimension;
        var gradient = new double[dimension];
        var scratch = new double[dimension];
        for (var point = 0; point < 4; point++)
        {
            var at = Enumerable.Range(0, dimension).Select(_ => radius * (2 * random.NextDouble() - 1)).ToArray();
            var value = posterior.Evaluate(at, gradient);
            Assert.True(double.IsFinite(value), $"log density {value} at point {point}");
            for (var i = 0; i < dimension; i++)
            {
                const double h = 1e-5;
                var saved = at[i];
                at[i] = saved + h;
                var up = posterior.Evaluate(at, scratch);
                at[i] = saved - h;
                var down = posterior.Evaluate(at, scratch);
                at[i] = saved;
                var numeric = (up - down) / (2 * h);
                // Central differences: truncation h^2 f''' plus rounding 1e-16 |f| / h; with |f| up to 1e5 that is
                // about 1e-6 absolute, so the bar is 1e-5 plus 1e-6 relative.
                Assert.True(Math.Abs(numeric - gradient[i]) < 1e-5 + 1e-6 * Math.Abs(numeric) + 1e-10 * Math.Abs(value),
                    $"coordinate {i} at point {point}: generated {gradient[i]}, finite difference {numeric}");
            }
        }
    }
}
