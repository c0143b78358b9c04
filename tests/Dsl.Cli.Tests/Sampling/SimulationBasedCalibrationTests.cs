using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari and Gelman 2018) of every generated sampler of
/// the textbook models: draw the latents from their priors and data from them, fit, and rank the true value among
/// the posterior draws. A calibrated sampler gives ranks uniform on 0..L; a wrong gradient, Jacobian or density
/// bends the histogram. 100 replications, 100 thinned draws each, ranks in 10 bins, chi-square with 9 degrees of freedom.
/// </summary>
public sealed class SimulationBasedCalibrationTests(CompiledDeclarations declarations) : IClassFixture<CompiledDeclarations>
{
    private const int Replications = 100;
    private const int Thin = 2;
    private const int Kept = 100;

    [Theory]
    [InlineData("BetaBernoulli", 10)]
    [InlineData("Compositions", 5)]
    [InlineData("ExplicitZip", 6)]
    [InlineData("GammaPoisson", 6)]
    [InlineData("GaussianMixture", 15)]
    [InlineData("LogisticNormalCounts", 3)]
    [InlineData("NormalMixture", 12)]
    [InlineData("OrderedMeans", 12)]
    [InlineData("OrderedRates", 15)]
    [InlineData("ProbitRegression", 20)]
    [InlineData("RobustLogistic", 8)]
    [InlineData("SoftmaxRegression", 20)]
    [InlineData("StudentTScale", 10)]
    [InlineData("VaryingIntercepts", 12)]
    [InlineData("ZinbMeans", 6)]
    public void RanksOfTheTruth_AreUniform(string name, int size)
    {
        var options = new NutsOptions { Chains = 1, Warmup = 200, Samples = Thin * Kept, Seed = 7 };
        Dictionary<string, int[]>? bins = null;
        for (var replication = 0; replication < Replications; replication++)
        {
            var model = declarations.Textbook(name);
            var truth = CompiledDeclarations.SimulateInto(model, size, 1000 + (ulong)replication);
            var posterior = model.CreatePosterior();
            var run = NutsChain.Run(posterior, options with { Seed = 7 + (ulong)replication }, 0);
            bins ??= posterior.Latents.ToDictionary(l => l, _ => new int[10]);
            var random = new RandomStream(5, (ulong)replication);
            foreach (var latent in posterior.Latents)
            {
                // The first entry of each latent (all entries of one latent are exchangeable a priori in these models, except the ordered vectors, OrderedMeans' mu and OrderedRates' rate, checked through their first entries).
                var value = new double[truth[latent].Length];
                var rank = 0;
                for (var s = Thin - 1; s < run.Samples; s += Thin)
                {
                    posterior.TryReadLatent(run.Draw(s), latent, value, ref random);
                    if (value[0] < truth[latent][0]) rank++;
                }
                bins[latent][rank * 10 / (Kept + 1)]++;
            }
        }
        RankHistograms.AssertUniform(name, bins!, Replications);
    }
}
