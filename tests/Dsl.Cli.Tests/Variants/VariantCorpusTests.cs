using Dsl.Cli.Tests.Sampling;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;
using Dsl.Tests.Shared;

namespace Dsl.Cli.Tests.Variants;

/// <summary>
/// Every variant of tests/declarations/Variants.cs is fitted by the engine its planner chose on data simulated from
/// it, and a node it should pin down is compared with the truth; every generated variational gradient passes
/// finite differences in training and evaluation mode.
/// </summary>
public sealed class VariantCorpusTests(VariantCorpus corpus) : IClassFixture<VariantCorpus>
{
    private static readonly string[] variational =
        ["GaussianVae", "MitoCovariateVae", "DetectionVae", "TwoModalityVae", "CellReadoutVae", "LogNormalVae", "FractionVae", "ShrunkNoiseVae", "DispersionPriorVae", "LabelledVae", "GammaVae", "MethylationVae", "CellCycleVae", "LearnedLibraryVae", "MultinomialVae", "CompositionVae", "CovariateEffectVae", "GammaSizeVae", "AmbientVae", "StudentTVae", "SharedNoiseVae", "GammaPoissonVae", "NbTwinVae", "ShrunkDispersionVae", "MixturePriorVae", "MixtureLogitPriorVae", "MapDispersionVae"];

    public static TheoryData<string> VariationalVariants => new(variational);

    /// <summary>A variant added to the file without a test here fails this.</summary>
    [Fact]
    public void EveryVariantIsCovered() => Assert.Equal(variational.Order(), corpus.Names);

    [Theory]
    [MemberData(nameof(VariationalVariants))]
    public void GeneratedGradientsMatchFiniteDifferences(string name)
    {
        var model = corpus.Create(name);
        CompiledDeclarations.SimulateInto(model, plate => plate == "Dim" ? 2 : 7, seed: 3);
        foreach (var training in new[] { true, false })
            Assert.True(VariationalGradientCheck.Check(VariantCorpus.DoubleFamily(model, seed: 5), training) > 10);
    }

    /// <summary>
    /// Every variant is simulated (as `dsl simulate` does: 200 cells, 10 genes or other items, 2 latent dimensions,
    /// parameters and data by SimulationDefaults' rules) and fitted for 300 epochs: the fit finishes, its full-weight
    /// training ELBO rises from the first epoch to the last, and every summarised entry is finite. Draws on (0, 1) that
    /// round onto its edge (MethylationVae's Beta at small concentrations, CompositionVae's Dirichlet entries that
    /// underflow to 0) are nudged inside by 1e-9 before the fit, which refuses them otherwise.
    /// </summary>
    [Theory]
    [MemberData(nameof(VariationalVariants))]
    public void EveryVariant_FitsItsOwnSimulation(string name)
    {
        var model = corpus.Create(name);
        foreach (var plate in model.Descriptor.Plates) model.SetPlateSize(plate, plate switch { "Cell" or "Spot" => 200, "Dim" => 2, _ => 10 });
        // Integer data (trials, say) have no default rule: give every one 20.
        var integers = model.Descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Data && n.Support is ValueSupport.Integer or ValueSupport.Count).ToList();
        foreach (var node in integers) model.Store(node.Name, Enumerable.Repeat(20.0, node.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b)).ToArray());
        SimulationDefaults.Fill(model, integers.Select(n => n.Name).ToHashSet(), seed: 4);
        var drawn = model.Simulate(4, new SimulationSettings());
        foreach (var observed in model.Descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Observed))
        {
            var values = drawn[observed.Name];
            if (observed.Support == ValueSupport.OpenUnitInterval)
                for (var e = 0; e < values.Length; e++) values[e] = Math.Clamp(values[e], 1e-9, 1 - 1e-9);
            model.Store(observed.Name, values);
        }
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 300, Seed = 2 }, draws: 20, checkpoint: null, progress: null, warn: null);
        var history = fit.History.Rows;
        Assert.Equal(300, history.Count);
        Assert.True(history[^1][1] > history[0][1], $"{name}: training ELBO {history[0][1]:F2} at the first epoch, {history[^1][1]:F2} at the last");
        Assert.All(fit.Nodes, node => Assert.All(node.Mean, value => Assert.True(double.IsFinite(value), $"{name}.{node.Node.Name} has a non-finite mean")));
    }

    /// <summary>
    /// Variants with a node the data pin down (a noise scale, a dispersion, a per-cell depth): simulated at 300 cells,
    /// 20 genes (or proteins) and 2 latent dimensions, fitted for 1000 epochs, their posterior means against the
    /// truth. Decoder-confounded nodes (a per-gene bias a network's output bias can absorb; AmbientVae's profile, which
    /// each cell's softmax decoder can absorb: correlation −0.23 at these settings), latents (a simulation's
    /// decoder at random weights leaves them nearly unidentified), CellCycleVae's dispersion (0.18: the covariates'
    /// effect at random weights swamps it) and MethylationVae (its simulation rounds Beta draws with small
    /// concentrations onto 1, which the fit refuses) are not compared.
    /// </summary>
    // Correlations measured at seed 3 / fit seed 1 are in each row's comment; each bar sits about 0.1 below (0.2 for the weakly
    // identified NB dispersion), where a fit that learnt nothing scores near 0. Parameters start at a standard normal
    // draw and move at Adam's 1e-3 per step, which is why the global latents' guides (ShrunkNoiseVae) recover sigma
    // better than GaussianVae's point estimates in the same epochs.
    [Theory]
    [InlineData("GaussianVae", "sigma", true, 0.75)] // 0.889
    [InlineData("ShrunkNoiseVae", "sigma", true, 0.9)] // 0.987
    [InlineData("LogNormalVae", "logSd", true, 0.75)] // 0.901
    [InlineData("CellReadoutVae", "depth", false, 0.9)] // 0.978
    [InlineData("TwoModalityVae", "library", true, 0.75)] // 0.886
    [InlineData("MitoCovariateVae", "theta", true, 0.35)] // 0.539
    [InlineData("GammaVae", "shape", true, 0.85)] // 0.978
    [InlineData("LearnedLibraryVae", "library", true, 0.65)] // 0.792
    [InlineData("CovariateEffectVae", "mitoEffect", false, 0.55)] // 0.736
    [InlineData("GammaSizeVae", "size", true, 0.75)] // 0.902
    public void FitRecoversWhatTheDataPinDown(string name, string node, bool logScale, double minimumCorrelation)
    {
        var model = corpus.Create(name);
        foreach (var plate in model.Descriptor.Plates) model.SetPlateSize(plate, plate switch { "Cell" => 300, "Dim" => 2, _ => 20 });
        // As `dsl simulate` does: data and parameters drawn by SimulationDefaults' rules (per-gene parameters differ), then the rest.
        SimulationDefaults.Fill(model, new HashSet<string>(), seed: 3);
        var parameters = NodeSummary.PointEstimates(model).ToDictionary(n => n.Node.Name, n => n.Mean.ToArray());
        var drawn = model.Simulate(3, new SimulationSettings());
        foreach (var observed in model.Descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Observed)) model.Store(observed.Name, drawn[observed.Name]);
        var truth = drawn.TryGetValue(node, out var latent) ? latent : parameters[node];
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 1000, Seed = 1 }, draws: 50, checkpoint: null, progress: null, warn: null);
        var estimate = fit.Nodes.Single(n => n.Node.Name == node).Mean;
        var scale = logScale ? (Func<double, double>)Math.Log : v => v;
        var correlation = Pearson.Correlation(truth.Select(scale).ToList(), estimate.Select(scale).ToList());
        Assert.True(correlation > minimumCorrelation, $"{name}.{node}: correlation of estimate and truth {correlation:F3}");
    }

    /// <summary>
    /// SharedNoiseVae overrides GaussianVae's observation with one noise sd, so the base's per-gene sigma informs
    /// nothing: the fit leaves it out (before, the planner refused the model over it) and recovers the shared sd.
    /// </summary>
    [Fact]
    public void AnOverrideThatDropsTheBasesNoiseSd_FitsWithoutIt()
    {
        var model = corpus.Create("SharedNoiseVae");
        foreach (var plate in model.Descriptor.Plates) model.SetPlateSize(plate, plate switch { "Cell" => 300, "Dim" => 2, _ => 20 });
        SimulationDefaults.Fill(model, new HashSet<string>(), seed: 3);
        model.Store("noise", [0.5]);
        var drawn = model.Simulate(3, new SimulationSettings());
        model.Store("y", drawn["y"]);
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 1000, Seed = 1 }, draws: 20, checkpoint: null, progress: null, warn: null);
        Assert.DoesNotContain(fit.Nodes, n => n.Node.Name == "sigma");
        Assert.False(model.Descriptor.Find("sigma")!.Informed);
        // One sd from 6,000 entries (a relative standard error near 1 %) beside a decoder learnt from them: measured
        // 0.506 against 0.5. A parameter left at its start (a standard normal draw on the log scale) or a decoder that
        // learnt little (the sd would absorb the signal it missed) falls outside 10 %.
        Assert.InRange(fit.Nodes.Single(n => n.Node.Name == "noise").Mean[0], 0.45, 0.55);
    }

    /// <summary>
    /// GammaPoissonVae declares the Gamma-Poisson hierarchy that NbTwinVae's negative binomial integrates; the generator
    /// integrates w out, so on the same data, seed and settings the two fits are the same arithmetic: every epoch's
    /// ELBO agrees exactly, and neither reports w.
    /// </summary>
    [Fact]
    public void AGammaRateOfPoissonCounts_IsIntegratedOut_AndFitsAsTheNegativeBinomial()
    {
        var hierarchy = corpus.Create("GammaPoissonVae");
        CompiledDeclarations.SimulateInto(hierarchy, plate => plate switch { "Cell" => 200, "Dim" => 2, _ => 10 }, seed: 4);
        var twin = corpus.Create("NbTwinVae");
        foreach (var plate in hierarchy.Descriptor.Plates) twin.SetPlateSize(plate, hierarchy.GetPlateSize(plate));
        foreach (var node in new[] { "logDepth", "theta", "x" }) twin.Store(node, hierarchy.Read(node));
        var options = new VariationalOptions { Epochs = 30, Seed = 2 };
        var fits = new[] { hierarchy, twin }.Select(m => VariationalFit.Fit(m, options, draws: 5, checkpoint: null, progress: null, warn: null)).ToList();
        Assert.Equal(fits[1].History.Rows.Select(r => r[1]), fits[0].History.Rows.Select(r => r[1]));
        Assert.All(fits, fit => Assert.DoesNotContain(fit.Nodes, n => n.Node.Name == "w"));
        Assert.Equal("x", hierarchy.Descriptor.Find("w")!.IntegratedInto);
        Assert.Contains("w is integrated out of x", fits[0].DrawsNote);
        // The counts were drawn through w, so the twin's fit is of data from the model it states.
        Assert.True(fits[0].History.Rows[^1][1] > fits[0].History.Rows[0][1]);
    }

    /// <summary>
    /// ShrunkDispersionVae's per-gene log dispersions are global latents whose Normal prior has a fitted mean and sd:
    /// the KL term's gradient reaches those parameters (finite-difference checked above), and the fit puts the prior
    /// where the dispersions are. 300 cells of about 400 counts (logDepth 6) and 20 genes, 1000 epochs.
    /// </summary>
    [Fact]
    public void ParametersOfAGlobalLatentsPrior_AreFittedToItsDraws()
    {
        var model = corpus.Create("ShrunkDispersionVae");
        foreach (var plate in model.Descriptor.Plates) model.SetPlateSize(plate, plate switch { "Cell" => 300, "Dim" => 2, _ => 20 });
        model.Store("logDepth", Enumerable.Repeat(6.0, 300).ToArray());
        model.Store("logThetaMean", [1.5]);
        model.Store("logThetaSd", [0.3]);
        var drawn = model.Simulate(3, new SimulationSettings());
        model.Store("x", drawn["x"]);
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 1000, Seed = 1 }, draws: 20, checkpoint: null, progress: null, warn: null);
        double Estimate(string node) => fit.Nodes.Single(n => n.Node.Name == node).Mean[0];
        var truth = drawn["logTheta"];
        // The prior's mean against the mean of the 20 drawn log dispersions (1.53 here): measured 1.38; its standard
        // error from 20 genes is 0.3/√20 = 0.07 beside each gene's own uncertainty. A mean left at its start (a
        // standard normal draw) or a gradient of the wrong sign lands far outside 0.4.
        Assert.InRange(Estimate("logThetaMean"), truth.Average() - 0.4, truth.Average() + 0.4);
        // The sd (0.3): measured 0.25, shrunk as empirical Bayes shrinks it; the guide's sd starts at 0.1.
        Assert.InRange(Estimate("logThetaSd"), 0.12, 0.5);
        // And the dispersions themselves: measured correlation 0.97 with the truth.
        Assert.True(Pearson.Correlation(truth, fit.Nodes.Single(n => n.Node.Name == "logTheta").Mean) > 0.8);
    }

    /// <summary>
    /// A [Param] with a prior adds its log prior to the objective, a share of it per row: the term a minibatch reports
    /// is rows/N times −Σ log p(θ), recomputed here from the parameters' current values with the densities written out
    /// (Gamma(θ; 2, rate) = rate² θ e^(−rate θ), Normal(offset; 0, 0.5), and Dirichlet(ambient; 3) up to its constant
    /// normaliser, 2 Σ log ambient). A term counted per row instead of per data set (N times too large), or one whose
    /// sign is flipped, fails; the gradients are checked by finite differences above.
    /// </summary>
    [Fact]
    public void APriorOnAParameter_AddsItsLogDensityOncePerDataSet()
    {
        var model = corpus.Create("MapDispersionVae");
        CompiledDeclarations.SimulateInto(model, plate => plate switch { "Cell" => 40, "Dim" => 2, _ => 6 }, seed: 3);
        var family = VariantCorpus.DoubleFamily(model, seed: 5);
        double[] Values(string name) => family.Parameters.Trainable.Single(p => p.Name == name).Value;
        var rate = Math.Exp(Values("thetaRate")[0]);
        var theta = Values("theta").Select(Math.Exp).ToArray();
        var offset = Values("offset");
        var ambientLogits = Values("ambient");
        var ambient = ambientLogits.Select(u => Math.Exp(u) / ambientLogits.Sum(Math.Exp)).ToArray();
        var elements = Enumerable.Range(0, 10).ToArray();
        var sums = new double[family.Terms.Count];
        family.Step(elements, new VariationalStep(Training: false, Gradients: false, KlWeight: 1, Seed: 1, Stream: 0, Population: 40), sums);
        double Term(string name) => sums[family.Terms.Select(t => t.Name).ToList().IndexOf(name)];
        var gammaLog = theta.Sum(t => 2 * Math.Log(rate) + Math.Log(t) - rate * t);
        var normalLog = offset.Sum(o => -0.5 * Math.Log(2 * Math.PI * 0.25) - o * o / (2 * 0.25));
        // 10 of 40 rows: a quarter of each −log prior. Both are sums of six doubles: 1e-10 relative leaves rounding only.
        Assert.Equal(-gammaLog * 10 / 40, Term("-log prior(theta)"), Math.Abs(gammaLog) * 1e-10);
        Assert.Equal(-normalLog * 10 / 40, Term("-log prior(offset)"), Math.Abs(normalLog) * 1e-10);
        var dirichletLog = ambient.Sum(a => 2 * Math.Log(a));
        Assert.Equal(-dirichletLog * 10 / 40, Term("-log prior(ambient)"), Math.Abs(dirichletLog) * 1e-10);
    }

    /// <summary>
    /// The Gamma prior's rate is fitted by its prior alone, so at the MAP its derivative vanishes: 2G/rate = Σ θ_g,
    /// rate = 2G / Σ θ_g whatever the likelihood did to the dispersions. After 2,000 epochs (300 cells, 10 genes) the
    /// fitted rate sits there: measured 0.5 % apart (after 600 epochs it was still 16 % short, chasing dispersions that
    /// still moved). 5 % allows for Adam's last steps at 1e-3 on log rate; a prior left out of the rate's gradient (it
    /// would not move from its start) or counted with the wrong sign (rate driven to its floor) misses by far more.
    /// </summary>
    [Fact]
    public void AHyperparameterReadByAParametersPriorOnly_ReachesItsConditionalOptimum()
    {
        var model = corpus.Create("MapDispersionVae");
        CompiledDeclarations.SimulateInto(model, plate => plate switch { "Cell" => 300, "Dim" => 2, _ => 10 }, seed: 4);
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 2000, Seed = 1 }, draws: 2, checkpoint: null, progress: null, warn: null);
        var theta = fit.Nodes.Single(n => n.Node.Name == "theta").Mean;
        var rate = fit.Nodes.Single(n => n.Node.Name == "thetaRate").Mean[0];
        var optimum = 2.0 * theta.Length / theta.Sum();
        Assert.InRange(rate, optimum * 0.95, optimum * 1.05);
    }

    /// <summary>
    /// MixturePriorVae's clusters are summed out of z's prior, so they have no draws; the fit writes each cell's
    /// responsibilities instead, as cluster_probability, at z's posterior mean. Recomputed here from the fitted shares
    /// and centres, r_k ∝ share_k Π_d Normal(z_d; centre_k,d, 1), they agree.
    /// </summary>
    [Fact]
    public void AMixturePriorsClusters_AreReportedAsEachCellsResponsibilities()
    {
        var model = corpus.Create("MixturePriorVae");
        CompiledDeclarations.SimulateInto(model, plate => plate switch { "Cell" => 150, "Dim" => 2, _ => 10 }, seed: 6);
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 30, Seed = 2 }, draws: 2000, checkpoint: null, progress: null, warn: null);
        Assert.DoesNotContain(fit.Nodes, n => n.Node.Name == "cluster");
        var responsibilities = fit.DenseOutputs.Single(n => n.Node.Name == "cluster_probability");
        Assert.Equal([150, 3], responsibilities.Shape);
        Assert.Equal(["Cell", "Cluster"], responsibilities.Node.Plates);
        var share = model.Read("share");
        var centre = model.Read("centre");
        // z's posterior mean, estimated by the mean of its 2,000 draws from q.
        var z = fit.Nodes.Single(n => n.Node.Name == "z").Mean;
        for (var n = 0; n < 150; n++)
        {
            var logWeights = Enumerable.Range(0, 3).Select(k => Math.Log(share[k]) + Enumerable.Range(0, 2).Sum(d => -0.5 * Math.Pow(z[n * 2 + d] - centre[k * 2 + d], 2))).ToArray();
            var max = logWeights.Max();
            var total = logWeights.Sum(v => Math.Exp(v - max));
            for (var k = 0; k < 3; k++)
                // z here is the mean of 2,000 draws from q (sd at most 1), within about 0.02 of q's mean, and a
                // responsibility moves by less than |z − centre| times that: measured largest gap 0.027, so 0.05.
                Assert.InRange(responsibilities.Mean[n * 3 + k], Math.Exp(logWeights[k] - max) / total - 0.05, Math.Exp(logWeights[k] - max) / total + 0.05);
        }
        Assert.All(Enumerable.Range(0, 150), n => Assert.Equal(1.0, Enumerable.Range(0, 3).Sum(k => responsibilities.Mean[n * 3 + k]), 12));
    }

    /// <summary>
    /// Draws from q are taken 512 cells at a time: with 600 cells the last block is shorter than the buffers the first
    /// one grew, and every cell's latent still comes back once (this crashed after training before).
    /// </summary>
    [Fact]
    public void DrawsCoverEveryCell_WhenTheLastBlockIsShort()
    {
        var model = corpus.Create("GaussianVae");
        CompiledDeclarations.SimulateInto(model, plate => plate switch { "Cell" => 600, "Dim" => 2, _ => 4 }, seed: 5);
        var fit = VariationalFit.Fit(model, new VariationalOptions { Epochs = 2, Seed = 1 }, draws: 3, checkpoint: null, progress: null, warn: null);
        var z = fit.Nodes.Single(n => n.Node.Name == "z");
        Assert.Equal(600 * 2, z.Mean.Length);
        Assert.All(z.Mean, v => Assert.True(double.IsFinite(v)));
        // The short block's cells get draws of their own, not zeros left in the buffer: their sd is positive.
        Assert.All(z.Sd!.Skip(512 * 2), v => Assert.True(v > 0));
    }

    /// <summary>Cell types given by name must number as many as the plate's entries set elsewhere: one line naming both.</summary>
    [Fact]
    public void NamedLabels_MoreThanThePlateHolds_AreRefusedInOneLine()
    {
        using var temp = new TempFolder();
        var data = temp.File("data.json", """{"Cell": 3, "Gene": 2, "Dim": 1, "x": [[1, 2], [3, 4], [5, 6]], "logDepth": [1, 1, 1]}""");
        var labels = temp.File("labels.csv", "cell,type\nc1,T\nc2,B\nc3,NK\n");
        var result = CliRunner.RunDsl("fit", RepoPaths.Variants, "--model", "LabelledVae", "--data", data, "--data", $"label={labels}:type", "--plate", "CellType=2",
            "--out", Path.Combine(temp.Path, "fit"));
        Assert.NotEqual(0, result.Exit);
        Assert.Equal($"dsl: {data}: plate CellType has 2 entries (--plate CellType=2) but {labels} names 3 entries: B, NK, T; give plate CellType 3 entries, or name only 2",
            result.Err.Trim());
    }

    /// <summary>A Beta-observed fraction of exactly 1 is refused by the binder in one line, before any training.</summary>
    [Fact]
    public void ABetaObservationOnTheEdgeOfItsSupport_IsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        var data = temp.File("data.json", """{"Cell": 2, "Region": 2, "Dim": 2, "fraction": [[0.2, 0.5], [1, 0.3]]}""");
        var result = CliRunner.RunDsl("fit", RepoPaths.Variants, "--model", "MethylationVae", "--data", data, "--out", Path.Combine(temp.Path, "fit"));
        Assert.NotEqual(0, result.Exit);
        Assert.Equal($"dsl: {data}: fraction[2,1] is 1, but fraction is drawn from a continuous distribution on (0, 1), whose density at 0 and 1 is 0 or infinite; " +
            "give values strictly between 0 and 1 (or model the counts behind a fraction with a Binomial)", result.Err.Trim());
    }
}
