using Dsl.Cli.Tests.Sampling;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>
/// Simulation-based calibration (Talts et al. 2018) of every generated exact Gibbs sampler: latents drawn from their
/// priors and data from them, the sampler started at an independent prior draw, and the truth ranked among its kept
/// sweeps. A wrong statistic, a prior parameter read at the wrong entry or a conditional drawn in the wrong
/// parametrisation (rate for scale, variance for precision) bends the rank histogram. 100 replications, 100 sweeps
/// kept (every second of 200 after 100 warm-up sweeps), ranks in 10 bins, chi-square with 9 degrees of freedom.
/// </summary>
public sealed class ExactGibbsCalibrationTests(ConjugateDeclarations declarations) : IClassFixture<ConjugateDeclarations>
{
    private const int Replications = 100;
    private const int Warmup = 100;
    private const int Thin = 2;
    private const int Kept = 100;

    [Theory]
    [InlineData("BetaBinomialSites", 6)]
    [InlineData("CategoricalSources", 20)]
    [InlineData("ClinicSuccesses", 10)]
    [InlineData("ConjugateMixture", 8)]
    [InlineData("DesignRegression", 12)]
    [InlineData("DirichletCounts", 8)]
    [InlineData("DirichletTopics", 6)]
    [InlineData("ExponentialWaits", 10)]
    [InlineData("GammaPoissonExposure", 6)]
    [InlineData("HalfNormalScale", 10)]
    [InlineData("KnownProfileActivities", 6)]
    [InlineData("LogNormalLevels", 10)]
    [InlineData("LogisticRegression", 20)]
    [InlineData("MultinomialMixture", 6)]
    [InlineData("NormalPrecisions", 10)]
    [InlineData("ProbitOutcomes", 20)]
    [InlineData("ProbitSuccesses", 10)]
    [InlineData("SwitchedProfiles", 10)]
    [InlineData("UnknownShape", 10)]
    [InlineData("WideLocation", 10)]
    [InlineData("ZeroInflatedCounts", 10)]
    public void RanksOfTheTruth_AreUniform(string name, int size)
    {
        Dictionary<string, int[]>? bins = null;
        for (var replication = 0; replication < Replications; replication++)
        {
            var model = declarations.Create(name);
            var truth = CompiledDeclarations.SimulateInto(model, _ => size, 3000 + (ulong)replication, Identifiable(name), Settings(name));
            var sweep = model.CreateSweep();
            var start = model.Simulate(90_000 + (ulong)replication, new SimulationSettings());
            foreach (var latent in sweep.Latents) sweep.TrySetLatent(latent, start[latent]);
            bins ??= sweep.Latents.ToDictionary(l => l, _ => new int[10]);
            var ranks = sweep.Latents.ToDictionary(l => l, _ => 0);
            var ties = sweep.Latents.ToDictionary(l => l, _ => 0);
            var random = new RandomStream(17, (ulong)replication);
            for (var s = 0; s < Warmup + Thin * Kept; s++)
            {
                sweep.Sweep(ref random, warmup: s < Warmup);
                if (s < Warmup || (s - Warmup) % Thin != Thin - 1) continue;
                foreach (var latent in sweep.Latents)
                {
                    var value = new double[truth[latent].Length];
                    sweep.TryReadLatent(latent, value);
                    // The first entry of each latent: its entries are exchangeable a priori in these models.
                    if (value[0] < truth[latent][0]) ranks[latent]++;
                    else if (value[0] == truth[latent][0]) ties[latent]++;
                }
            }
            // A discrete latent ties with its truth: the truth's rank among the ties is uniform (Talts et al. 2018, section 4.2).
            foreach (var (latent, rank) in ranks) bins[latent][(rank + (int)(random.NextUInt32() % (uint)(ties[latent] + 1))) * 10 / (Kept + 1)]++;
        }
        RankHistograms.AssertUniform(name, bins!, Replications);
    }

    /// <summary>
    /// SwitchedProfiles' cells hold 3 counts each: at the default 1,000 every gene that is on is counted and every
    /// switch is known from the data, which would leave its conditional's running sum untested. MultinomialMixture's
    /// documents hold 4 words each, so a document's topic is uncertain and its enumerated weights are tested.
    /// </summary>
    private static SimulationSettings? Settings(string name) => name switch
    {
        "SwitchedProfiles" => new SimulationSettings { Totals = new Dictionary<string, int> { ["count"] = 3 } },
        "MultinomialMixture" => new SimulationSettings { Totals = new Dictionary<string, int> { ["count"] = 4 } },
        _ => null,
    };

    /// <summary>
    /// Data that make a model's posterior one mode. The topic models' topics are told apart only by their word priors:
    /// at the default data (0.5 to 1.5 everywhere) the posterior has a second mode with the topics swapped, which an
    /// allocation sampler started at a prior draw does not leave in 200 sweeps, and SBC would then test the modes, not
    /// the conditionals. Each word here belongs to one topic (prior weight 4 against 0.25).
    /// </summary>
    private static Action<Runtime.Models.IDeclaredModel>? Identifiable(string name) => name is not ("DirichletTopics" or "MultinomialMixture") ? null : model =>
    {
        var (words, topics) = (model.GetPlateSize("Word"), model.GetPlateSize("Topic"));
        model.Store("wordPrior", Enumerable.Range(0, words * topics).Select(e => e / topics % topics == e % topics ? 4.0 : 0.25).ToArray());
    };
}
