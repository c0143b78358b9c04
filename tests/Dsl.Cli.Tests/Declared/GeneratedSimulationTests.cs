using Dsl.Compiler;
using Dsl.Runtime.Models;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Cli.Tests.Declared;

/// <summary>
/// The generated <c>Simulate</c> of a declaration with one node per distribution (Declared/Models/Moments.cs.txt):
/// each node's draws have the distribution's mean and variance, and parents' draws feed their children.
/// </summary>
public sealed class GeneratedSimulationTests
{
    private const int Draws = 20000;

    private static readonly double[] Weights = [0.2, 0.3, 0.5];

    private static IReadOnlyDictionary<string, double[]> Simulate(ulong seed)
    {
        using var folder = new TempFolder();
        var path = folder.File("Moments.cs", File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Dsl.Cli.Tests", "Declared", "Models", "Moments.cs.txt")));
        using var compiled = ModelCompiler.Compile([path]);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Messages));
        var model = (IDeclaredModel)Activator.CreateInstance(compiled.ModelTypes.Single())!;
        model.SetPlateSize("Draw", Draws);
        model.SetPlateSize("Level", 3);
        model.InitializeParameters();
        model.Store("rate", [2.0]);
        model.Store("weights", Weights);
        return model.Simulate(seed, new SimulationSettings { Totals = new Dictionary<string, int> { ["multi"] = 50 } });
    }

    private static readonly Lazy<IReadOnlyDictionary<string, double[]>> draws = new(() => Simulate(17));

    /// <summary>
    /// Sample mean within 5 standard errors of the truth (a false alarm about once in 3.5 million per check), and
    /// sample variance within 10 % (its relative sd at n = 20000 is under 2 % for these light-tailed laws, so 10 %
    /// is over 5 of them).
    /// </summary>
    [Theory]
    [InlineData("normal", 1.5, 4.0)]
    [InlineData("gamma", 1.5, 0.75)]
    [InlineData("beta", 2.0 / 7, 10.0 / 392)]
    [InlineData("poisson", 4.0, 4.0)]
    [InlineData("nb", 5.0, 17.5)]
    [InlineData("zinb", 2.5, 15.0)]
    [InlineData("binomial", 3.0, 2.1)]
    [InlineData("coin", 0.5, 0.25)]
    public void EachDistribution_HasItsMeanAndVariance(string node, double mean, double variance)
    {
        var values = draws.Value[node];
        var (sampleMean, sd) = ChainStatistics.MeanAndSd(values);
        Assert.InRange(sampleMean, mean - 5 * Math.Sqrt(variance / Draws), mean + 5 * Math.Sqrt(variance / Draws));
        Assert.InRange(sd * sd, 0.9 * variance, 1.1 * variance);
    }

    [Fact]
    public void LogNormal_HasItsMean()
    {
        // E = exp(mu + s^2 / 2), Var = (exp(s^2) - 1) exp(2 mu + s^2).
        var mean = Math.Exp(0.2 + 0.125);
        var variance = (Math.Exp(0.25) - 1) * Math.Exp(0.4 + 0.25);
        var (sampleMean, _) = ChainStatistics.MeanAndSd(draws.Value["logNormal"]);
        Assert.InRange(sampleMean, mean - 5 * Math.Sqrt(variance / Draws), mean + 5 * Math.Sqrt(variance / Draws));
    }

    [Fact]
    public void CategoricalDirichletAndMultinomial_FollowTheirWeights()
    {
        var levels = draws.Value["level"];
        for (var k = 0; k < 3; k++)
        {
            var share = levels.Count(l => l == k) / (double)Draws;
            // Binomial proportion: 5 standard errors.
            Assert.InRange(share, Weights[k] - 5 * Math.Sqrt(Weights[k] * (1 - Weights[k]) / Draws), Weights[k] + 5 * Math.Sqrt(Weights[k] * (1 - Weights[k]) / Draws));
        }
        // share(k, n) ~ Dirichlet(2 w): rows sum to 1, and E[share_k] = w_k (the concentrations sum to 2).
        var shares = draws.Value["share"];
        for (var n = 0; n < 100; n++) Assert.Equal(1.0, shares[n] + shares[Draws + n] + shares[2 * Draws + n], 12);
        for (var k = 0; k < 3; k++)
        {
            var column = shares.AsSpan(k * Draws, Draws).ToArray();
            // Var(share_k) = w_k (1 - w_k) / 3 for total concentration 2.
            var se = Math.Sqrt(Weights[k] * (1 - Weights[k]) / 3 / Draws);
            Assert.InRange(column.Average(), Weights[k] - 5 * se, Weights[k] + 5 * se);
        }
        // multi(k, n) ~ Multinomial(50, w * share / sum): every draw's counts add up to its 50 trials.
        var multi = draws.Value["multi"];
        for (var n = 0; n < Draws; n++) Assert.Equal(50, multi[n] + multi[Draws + n] + multi[2 * Draws + n]);
    }

    [Fact]
    public void APlateIndexLatent_IndexesItsChild()
    {
        // picked(n) ~ Poisson(10 w[level(n)]): its mean given each level is 10 w.
        var (levels, picked) = (draws.Value["level"], draws.Value["picked"]);
        for (var k = 0; k < 3; k++)
        {
            var chosen = picked.Where((_, n) => levels[n] == k).ToArray();
            var rate = 10 * Weights[k];
            Assert.InRange(chosen.Average(), rate - 5 * Math.Sqrt(rate / chosen.Length), rate + 5 * Math.Sqrt(rate / chosen.Length));
        }
    }

    [Fact]
    public void TheSameSeed_GivesTheSameDraws_AndAnotherSeedOthers()
    {
        var again = Simulate(17);
        Assert.Equal(draws.Value["nb"], again["nb"]);
        Assert.NotEqual(draws.Value["nb"], Simulate(18)["nb"]);
    }
}
