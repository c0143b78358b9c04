using Dsl.Cli.Tests.Sampling;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>
/// Exact Gibbs and NUTS, two engines with nothing in common but the declaration, fitted to the same simulated data:
/// every entry of every latent must have the same posterior mean and sd. NUTS's log density is itself held to finite
/// differences and calibrated, so a disagreement points at the Gibbs conditional.
/// </summary>
public sealed class ExactGibbsAgreementTests(ConjugateDeclarations declarations) : IClassFixture<ConjugateDeclarations>
{
    [Theory]
    [InlineData("BetaBinomialSites", 15)]
    [InlineData("CategoricalSources", 60)]
    [InlineData("ClinicSuccesses", 40)]
    [InlineData("ConjugateMixture", 40)]
    [InlineData("DesignRegression", 40)]
    [InlineData("DirichletCounts", 20)]
    [InlineData("ExponentialWaits", 30)]
    [InlineData("GammaPoissonExposure", 15)]
    [InlineData("HalfNormalScale", 30)]
    [InlineData("KnownProfileActivities", 10)]
    [InlineData("LogNormalLevels", 30)]
    [InlineData("MultinomialMixture", 8)]
    [InlineData("LogisticRegression", 60)]
    [InlineData("NormalPrecisions", 30)]
    [InlineData("ProbitOutcomes", 60)]
    [InlineData("ProbitSuccesses", 30)]
    [InlineData("UnknownShape", 30)]
    [InlineData("WideLocation", 10)]
    [InlineData("ZeroInflatedCounts", 40)]
    public void ExactGibbs_AndNuts_AgreeOnEveryEntry(string name, int size)
    {
        var model = declarations.Create(name);
        CompiledDeclarations.SimulateInto(model, size, 41);
        var options = new NutsOptions { Seed = 3, Threads = 2 };
        var exactFit = ConjugateGibbsFit.Fit(model, options, null, null);
        Assert.Equal(ConjugateGibbsFit.Engine, exactFit.Engine);
        var gibbs = exactFit.Nodes.ToDictionary(n => n.Node.Name);
        var nuts = SamplingFit.Fit(model, options, null, null).Nodes.ToDictionary(n => n.Node.Name);
        foreach (var (node, exact) in gibbs.Where(g => g.Value.Node.Role == Runtime.Graph.GraphNodeRole.Latent))
        {
            var sampled = nuts[node];
            for (var e = 0; e < exact.Mean.Length; e++)
            {
                // An indicator fixed by its data (a positive count is never a structural zero) has one value in every draw of both.
                if (exact.Sd![e] == 0 && sampled.Sd![e] == 0)
                {
                    Assert.Equal(sampled.Mean[e], exact.Mean[e]);
                    continue;
                }
                // Five combined Monte Carlo standard errors: a false alarm on any of the ~100 entries has probability below 1e-4.
                var bar = 5 * Math.Sqrt(exact.Mcse![e] * exact.Mcse[e] + sampled.Mcse![e] * sampled.Mcse[e]);
                Assert.True(Math.Abs(exact.Mean[e] - sampled.Mean[e]) <= bar, $"{name}.{node}[{e + 1}]: Gibbs mean {exact.Mean[e]}, NUTS {sampled.Mean[e]} ± {bar}");
                // A discrete latent's sd is a function of its mean (√(p(1 − p)) for an indicator), already compared.
                if (exact.Node.Support is ValueSupport.PlateIndex or ValueSupport.Binary or ValueSupport.Integer or ValueSupport.Count) continue;
                // 4,000 draws with ESS in the thousands estimate an sd to about 2 %; 10 % leaves room for both engines.
                Assert.True(Math.Abs(exact.Sd![e] / sampled.Sd![e] - 1) <= 0.1, $"{name}.{node}[{e + 1}]: Gibbs sd {exact.Sd[e]}, NUTS {sampled.Sd[e]}");
            }
        }
    }
}
