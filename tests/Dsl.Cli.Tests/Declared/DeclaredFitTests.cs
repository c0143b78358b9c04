using Dsl.Cli.Declared;
using System.Globalization;
using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Declared.SimulatedFit;

namespace Dsl.Cli.Tests.Declared;

/// <summary>
/// `dsl simulate model.cs` then `dsl fit model.cs` on what it wrote: declarations fitted from the command line, their
/// truth recovered, and every refusal one line.
/// </summary>
public sealed class DeclaredFitTests
{
    /// <summary>
    /// A complementary log-log link, which no augmentation covers: the plot effects are slice-sampled and the
    /// M-step differentiates the probability for the intercept and slope (their variance stays in closed form).
    /// </summary>
    [Fact]
    public void ComplementaryLogLogRegression_RecoversItsParameters_AndItsEffectsLieInTheirIntervals()
    {
        using var temp = new TempFolder();
        var (sim, fit) = SimulateAndFit(temp, RepoPaths.GeneralityModel("Germination"),
            ["--plate", "Seed=30", "--plate", "Plot=40", "--set", "intercept=-0.5", "--set", "slope=1", "--set", "plotVariance=0.5", "--seed", "3"],
            ["--em-iters", "15", "--samples", "40", "--burnin", "10"]);
        var truth = Truth(sim);
        var summary = Summary(fit);
        // 1,200 seeds on 40 plots: the intercept's standard error is about sd(u) / sqrt(40) = 0.11 and the slope's about
        // 0.06, so 0.25 and 0.15 are over two of each (measured: 0.03 and 0.02 off). A fit that ignored the link or the
        // plot effects would miss by more.
        Assert.InRange(summary["intercept"][0], -0.75, -0.25);
        Assert.InRange(summary["slope"][0], 0.85, 1.15);
        // A variance from 40 effects has a relative sd near sqrt(2 / 40) = 0.22; measured 0.40 against 0.5.
        Assert.InRange(summary["plotVariance"][0], 0.25, 0.8);
        var effects = truth.Keys.Where(k => k.StartsWith("u[", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, effects.Count);
        // 90 % intervals: 36 of 40 expected, binomial sd 1.9; 31 is over two sd below (measured 35).
        Assert.True(effects.Count(u => summary[u][Q5] <= truth[u] && truth[u] <= summary[u][Q95]) >= 31, "plot effects' intervals");
    }

    /// <summary>The tutorial's hierarchical count model (docs/fitting-your-model.md), with its commands.</summary>
    [Fact]
    public void TutorialGeneRates_FitsItsOwnSimulation()
    {
        using var temp = new TempFolder();
        var depth = temp.File("depth.json", """{"depth": [0.5, 1.0, 1.5, 2.0, 0.8, 1.2]}""");
        var (sim, fit) = SimulateAndFit(temp, Path.Combine(RepoPaths.Root, "docs", "examples", "GeneRates.cs"),
            ["--plate", "Gene=200", "--data", depth, "--seed", "5"], []);
        var truth = Truth(sim);
        var summary = Summary(fit);
        foreach (var hyper in new[] { "shape", "meanRate" })
            Assert.True(summary[hyper][Q5] <= truth[hyper] && truth[hyper] <= summary[hyper][Q95], $"{hyper}: {truth[hyper]} outside its interval");
        var rates = truth.Keys.Where(k => k.StartsWith("rate[", StringComparison.Ordinal)).ToList();
        Assert.Equal(200, rates.Count);
        // 180 of 200 expected inside 90 % intervals, binomial sd 4.2; 170 is over two sd below (measured 187).
        Assert.True(rates.Count(r => summary[r][Q5] <= truth[r] && truth[r] <= summary[r][Q95]) >= 170, "rates' intervals");
    }

    /// <summary>
    /// NUTS keeps a checkpoint too: a finished run resumed with more --samples continues its chains and equals a
    /// longer run from the start, byte for byte; a resume with other warm-up settings is refused in one line.
    /// </summary>
    [Fact]
    public void ANutsFit_ResumedWithMoreSamples_EqualsALongerRun()
    {
        using var temp = new TempFolder();
        var model = Path.Combine(RepoPaths.Root, "docs", "examples", "GeneRates.cs");
        var depth = temp.File("depth.json", """{"depth": [0.5, 1.0, 1.5]}""");
        var sim = Path.Combine(temp.Path, "sim");
        Assert.Equal(0, RunDsl("simulate", model, "--plate", "Gene=30", "--data", depth, "--seed", "2", "--out", sim).Exit);
        var data = Path.Combine(sim, "data.json");
        (int Exit, string Out, string Err) Fit(string name, params string[] extra) =>
            RunDsl(["fit", model, "--data", data, "--out", Path.Combine(temp.Path, name), "--quiet", "--warmup", "200", .. extra]);
        Assert.Equal(0, Fit("long", "--samples", "200").Exit);
        Assert.Equal(0, Fit("extended", "--samples", "100").Exit);
        Assert.True(File.Exists(Path.Combine(temp.Path, "extended", "checkpoint.bin")));
        var resumed = Fit("extended", "--samples", "200", "--resume", "--threads", "1");
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(temp.Path, "long", "summary.csv")), File.ReadAllText(Path.Combine(temp.Path, "extended", "summary.csv")));
        var other = Fit("extended", "--samples", "200", "--resume", "--seed", "3");
        Assert.Equal(1, other.Exit);
        Assert.Contains("cannot resume from this checkpoint: it was written with other settings", other.Err);
    }

    [Fact]
    public void LogisticRegression_TruthLiesInsideTheNinetyPercentIntervals()
    {
        using var temp = new TempFolder();
        var (sim, fit) = SimulateAndFit(temp, RepoPaths.GeneralityModel("LogisticRegression"),
            ["--plate", "Sample=600", "--plate", "Feature=40", "--seed", "3"], ["--em-iters", "5", "--seed", "2"]);
        var truth = Truth(sim);
        var summary = Summary(fit);
        var betas = truth.Keys.Where(k => k.StartsWith("beta[", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, betas.Count);
        var inside = betas.Count(b => summary[b][Q5] <= truth[b] && truth[b] <= summary[b][Q95]);
        // 90 % intervals: 36 of 40 expected; P(Binomial(40, 0.9) < 31) is about 0.5 %.
        Assert.True(inside >= 31, $"{inside} of 40 coefficients inside their intervals");
        // Every latent entry carries its sampling diagnostics.
        Assert.All(betas, b => Assert.InRange(summary[b][RHat], 0.9, 1.3));
        Assert.True(File.Exists(Path.Combine(fit, "nodes", "beta.csv")));
        Assert.Equal(6, File.ReadAllLines(Path.Combine(fit, "history.csv")).Length);
        // The report: the objective, the plate diagram saved with the fit, the diagnostics table and each node.
        var report = File.ReadAllText(Path.Combine(fit, "report.html"));
        foreach (var part in new[] { "<h2>Diagnostics</h2>", "beta[", "priorVariance", "<svg", "<h2>Objective</h2>", "<h2>Estimates</h2>" }) Assert.Contains(part, report);
        Assert.Equal(0, RunDsl("report", fit).Exit);
    }

    /// <summary>
    /// Where two engines apply they must agree: the logistic regression, fitted by Gibbs-EM (Polya-Gamma updates, the
    /// default) and by NUTS (`--method nuts`) on the same data, has the same posterior means within their Monte Carlo
    /// errors and the same fitted prior variance.
    /// </summary>
    [Fact]
    public void LogisticRegression_GibbsEmAndNuts_AgreeOnThePosterior()
    {
        using var temp = new TempFolder();
        var model = RepoPaths.GeneralityModel("LogisticRegression");
        var (sim, gibbs) = SimulateAndFit(temp, model, ["--plate", "Sample=600", "--plate", "Feature=40", "--seed", "3"], ["--em-iters", "5", "--seed", "2"]);
        var nutsFolder = Path.Combine(temp.Path, "nuts");
        var nutsRun = RunDsl("fit", model, "--data", Path.Combine(sim, "data.json"), "--method", "nuts", "--seed", "2", "--out", nutsFolder, "--quiet");
        Assert.True(nutsRun.Exit == 0, nutsRun.Err);
        var (g, n) = (Summary(gibbs), Summary(nutsFolder));
        var mcse = Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "mcse");
        var z = g.Keys.Where(k => k.StartsWith("beta[", StringComparison.Ordinal))
            .Select(k => (g[k][0] - n[k][0]) / Math.Sqrt(g[k][mcse] * g[k][mcse] + n[k][mcse] * n[k][mcse])).ToList();
        // Measured: largest |z| 2.7, mean z² 1.7 (1 if the two chains' errors were all the difference; the Gibbs draws
        // also span EM iterations at slightly different prior variances). A wrong update moves means by many MCSEs.
        Assert.All(z, v => Assert.InRange(v, -4, 4));
        Assert.True(z.Average(v => v * v) < 3, $"mean squared standardised difference {z.Average(v => v * v):F2}");
        // EM and stochastic-approximation EM reach the same maximum: measured 0.7587 and 0.7566.
        Assert.InRange(n["priorVariance"][0] / g["priorVariance"][0], 0.95, 1.05);
    }

    /// <summary>--method names an engine the generator emitted for the model, or is refused in one line naming those it did.</summary>
    [Fact]
    public void Method_ThatTheModelHasNoCodeFor_IsRefusedNamingItsEngines()
    {
        using var temp = new TempFolder();
        var model = RepoPaths.GeneralityModel("TopicModel");
        var data = temp.File("x.json", "{}");
        var vi = RunDsl("fit", model, "--data", data, "--method", "vi", "--out", Path.Combine(temp.Path, "a"));
        Assert.Equal(1, vi.Exit);
        Assert.Equal($"dsl: {model}: --method vi: model TopicModel is fitted by Gibbs-EM (--method gibbs-em) or NUTS (--method nuts), not by variational inference; variational inference does not apply to this kind of model", vi.Err.Trim());
        var unknown = RunDsl("fit", model, "--data", data, "--method", "hmc", "--out", Path.Combine(temp.Path, "b"));
        Assert.Equal("dsl: --method hmc: unknown method; use gibbs, gibbs-em, vi, nuts, lbfgs", unknown.Err.Trim());
    }

    [Fact]
    public void TopicModel_RecoversItsTopics_FromItsSimulation()
    {
        using var temp = new TempFolder();
        var (sim, fit) = SimulateAndFit(temp, RepoPaths.GeneralityModel("TopicModel"),
            ["--plate", "Word=30", "--plate", "Topic=2", "--plate", "Document=200", "--total", "count=300", "--set", "alpha=0.5", "--seed", "4"],
            ["--em-iters", "15", "--burnin", "20", "--samples", "40"]);
        var truth = Truth(sim);
        var summary = Summary(fit);
        var phi = truth.Keys.Where(k => k.StartsWith("phi[", StringComparison.Ordinal)).ToList();
        // The topics may come out in either order; take the better matching.
        var straight = phi.Sum(p => Math.Abs(summary[p][0] - truth[p]));
        var swapped = phi.Sum(p => Math.Abs(summary[p.EndsWith(",1]") ? p.Replace(",1]", ",2]") : p.Replace(",2]", ",1]")][0] - truth[p]));
        // A flat start is about 1.0 away in L1; sampling 200 x 300 words leaves about 0.1.
        Assert.True(Math.Min(straight, swapped) < 0.25, $"L1 loss of phi {Math.Min(straight, swapped):F3}");
    }

    /// <summary>The slice rule's M-step sums its Monte Carlo likelihood over fixed blocks of plots in parallel: the same at any thread count.</summary>
    [Fact]
    public void ASliceFit_IsTheSameAtAnyThreadCount()
    {
        using var temp = new TempFolder();
        var model = RepoPaths.GeneralityModel("Germination");
        var sim = Path.Combine(temp.Path, "sim");
        Assert.Equal(0, RunDsl("simulate", model, "--plate", "Seed=10", "--plate", "Plot=40", "--seed", "5", "--out", sim).Exit);
        string Fit(string threads)
        {
            var folder = Path.Combine(temp.Path, "t" + threads);
            var result = RunDsl("fit", model, "--data", Path.Combine(sim, "data.json"), "--out", folder, "--quiet", "--em-iters", "3", "--samples", "20", "--threads", threads);
            Assert.True(result.Exit == 0, result.Err);
            return File.ReadAllText(Path.Combine(folder, "summary.csv"));
        }
        Assert.Equal(Fit("1"), Fit("2"));
    }

    [Fact]
    public void AFit_IsTheSameAtAnyThreadCount_AndAfterResume()
    {
        using var temp = new TempFolder();
        var model = RepoPaths.GeneralityModel("LogisticRegression");
        var sim = Path.Combine(temp.Path, "sim");
        Assert.Equal(0, RunDsl("simulate", model, "--plate", "Sample=200", "--plate", "Feature=3", "--out", sim).Exit);
        var data = Path.Combine(sim, "data.json");
        string Fit(string name, params string[] extra)
        {
            var folder = Path.Combine(temp.Path, name);
            var result = RunDsl(["fit", model, "--data", data, "--out", folder, "--quiet", "--burnin", "5", "--samples", "20", .. extra]);
            Assert.True(result.Exit == 0, result.Err);
            return File.ReadAllText(Path.Combine(folder, "summary.csv"));
        }
        var one = Fit("one", "--threads", "1", "--em-iters", "4");
        Assert.Equal(one, Fit("two", "--threads", "2", "--em-iters", "4"));
        Fit("resumed", "--em-iters", "2");
        Assert.Equal(one, Fit("resumed", "--em-iters", "4", "--resume"));
    }

    /// <summary>EM's textbook case from the command line, with the tutorial's commands (docs/fitting-your-model.md).</summary>
    [Fact]
    public void TutorialMixture_IsFittedByMaximumLikelihood_WithItsResponsibilities()
    {
        using var temp = new TempFolder();
        var parameters = temp.File("mtruth.json", """{ "weight": [0.3, 0.3, 0.4], "centre": [-3, 0, 3], "spread": [0.5, 0.8, 0.6] }""");
        var (sim, fit) = SimulateAndFit(temp, Path.Combine(RepoPaths.Root, "docs", "examples", "Mixture.cs"), ["--plate", "Sample=500", "--data", parameters, "--seed", "2"], []);
        var summary = Summary(fit);
        // Components may come back in any order; 500 draws put each centre within 0.2 of its truth (about 3 standard errors).
        var centres = Enumerable.Range(1, 3).Select(k => summary[$"centre[{k}]"][0]).Order().ToArray();
        Assert.Equal(-3, centres[0], 0.2);
        Assert.Equal(0, centres[1], 0.2);
        Assert.Equal(3, centres[2], 0.2);
        var responsibilities = File.ReadAllLines(Path.Combine(fit, "nodes", "component_probability.csv"));
        Assert.Equal("Sample\\Component,1,2,3", responsibilities[0]);
        Assert.Equal(501, responsibilities.Length);
        Assert.Contains("maximum likelihood", File.ReadAllText(Path.Combine(fit, "summary.json")));
        Assert.True(File.Exists(Path.Combine(sim, "truth.csv")));
    }

    /// <summary>
    /// Shares estimated beside sampled rates, in a model with two equally good labellings of its populations: the
    /// rates' chains must sample the labelling the estimated shares belong to (they start from the parameter
    /// estimation's last draw; started at random, at seeds 1 to 4 every fit had chains on the other labelling: rate[1,1]
    /// came out 4.39, 3.67, 2.95 and 2.96, against 1.52 (and 4.41 at seed 4, whose shares took the other labelling) now).
    /// </summary>
    [Fact]
    public void ASimplexParameterBesideSampledLatents_IsEstimated_AndTheChainsKeepItsLabelling()
    {
        using var temp = new TempFolder();
        var shares = temp.File("shares.json", """{ "share": [0.3, 0.7] }""");
        var (sim, fit) = SimulateAndFit(temp, RepoPaths.Textbook, ["--model", "PoissonMixture", "--plate", "Cell=200", "--plate", "Gene=10", "--data", shares, "--seed", "2"],
            ["--model", "PoissonMixture"]);
        var (truth, summary) = (Truth(sim), Summary(fit));
        // Which fitted population is the truth's first: the one whose ten rates are closer to its rates.
        double Distance(int fitted, int actual) => Enumerable.Range(1, 10).Sum(g => Math.Abs(summary[$"rate[{fitted},{g}]"][0] - truth[$"rate[{actual},{g}]"]));
        var first = Distance(1, 1) < Distance(2, 1) ? 1 : 2;
        // 200 cells: the share's standard error is sqrt(0.21 / 200) = 0.03; 0.1 is over three of them. The other labelling is off by 0.4.
        Assert.Equal(0.3, summary[$"share[{first}]"][0], 0.1);
        Assert.Equal(0.7, summary[$"share[{3 - first}]"][0], 0.1);
    }

    [Fact]
    public void AModelNoEngineFits_IsRefusedWithTheWarningThatSaysWhy()
    {
        using var temp = new TempFolder();
        // An N-mixture: an unbounded count latent, which no Gibbs-EM rule claims and NUTS cannot sum over.
        var model = temp.File("Abundance.cs", """
            using Dsl;

            [PlateModel]
            public partial class Abundance
            {
                [Plate] public partial struct Site { }
                [Plate] public partial struct Visit { }

                [Param, Positive] public partial double lambda();
                [Param] public partial double detectLogit();
                [Latent] public int animals(Site s) => Dist.Poisson(lambda());
                [Observed] public int seen(Site s, Visit v) => Dist.Binomial(animals(s), logit: detectLogit());
            }
            """);
        var sim = Path.Combine(temp.Path, "sim");
        // It cannot be fitted, but it can be simulated.
        var simulated = RunDsl("simulate", model, "--plate", "Site=20", "--plate", "Visit=3", "--set", "lambda=5", "--set", "detectLogit=0", "--out", sim);
        Assert.True(simulated.Exit == 0, simulated.Err);
        var fit = RunDsl("fit", model, "--data", Path.Combine(sim, "data.json"), "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, fit.Exit);
        Assert.Contains("warning DSL0401", fit.Err);
        // Parameters beside a discrete latent only: maximum likelihood would sum the latent out, but a Poisson count has no finite values to sum.
        Assert.Contains("warning DSL0405", fit.Err);
        Assert.Contains("model Abundance: not fitted, no engine's rules cover it (warning DSL0401 at Abundance.cs(", fit.Err.Split('\n').Last(l => l.StartsWith("dsl:", StringComparison.Ordinal)));
    }

    /// <summary>An sd that is NaN for some data (the root of a negative number): no support follows from the use, so only the simulation can say.</summary>
    private const string ShrunkScale = """
        using Dsl;
        using static Dsl.Fn;

        [PlateModel]
        public partial class Shrunk
        {
            [Plate] public partial struct Item { }
            [Data] public partial double shrink();
            [Observed] public double y(Item i) => Dist.Normal(0, Sqrt(1 - shrink()));
        }
        """;

    [Fact]
    public void SetOnALatent_HoldsItAtTheValue_SoAnImproperPriorSimulates()
    {
        // kidiq's coefficients have a flat prior, which cannot be drawn from: held at 1 and sigma at 2, y is 1 + x + Normal(0, 2).
        using var temp = new TempFolder();
        var result = RunDsl("simulate", RepoPaths.PosteriordbModel("kidiq-kidscore_momiq"), "--plate", "N=2000", "--set", "beta=1", "--set", "sigma=2",
            "--set", "mom_iq=0", "--seed", "4", "--out", temp.Path);
        Assert.True(result.Exit == 0, result.Err);
        var truth = File.ReadAllLines(Path.Combine(temp.Path, "truth.csv")).Skip(1).ToDictionary(l => l.Split(',')[0].Trim('"'), l => l.Split(',')[1]);
        Assert.Equal(["1", "1", "2"], new[] { truth["beta[1]"], truth["beta[2]"], truth["sigma"] });
        using var data = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "data.json")));
        var y = data.RootElement.GetProperty("kid_score").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var mean = y.Average();
        var sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / (y.Count - 1));
        // With mom_iq at 0, kid_score is Normal(beta[1], sigma) = Normal(1, 2): over 2,000 draws the mean's standard error
        // is 0.045 and the sd's 0.032, so 0.2 on each is over 4 standard errors.
        Assert.InRange(mean, 0.8, 1.2);
        Assert.InRange(sd, 1.8, 2.2);
    }

    [Fact]
    public void Refusals_AreOneLineEach()
    {
        using var temp = new TempFolder();
        var model = RepoPaths.GeneralityModel("LogisticRegression");
        var output = Path.Combine(temp.Path, "out");
        (string Args, string Line)[] cases =
        [
            ($"fit {model} --out {output}", "needs --data: a JSON file with a member per data and observed node"),
            ($"fit {model} --data x.json --epochs 3 --out {output}", "--epochs does not apply to fit LogisticRegression.cs, which Gibbs-EM fits (it uses --burnin"),
            ($"fit {model} --data {temp.File("missing.json")} --out {output}", "missing.json: file not found"),
            ($"simulate {model} --plate Sample=10 --out {output}", "plate Feature has no size"),
            ($"simulate {model} --plate Sample=10 --plate Feature=2 --data {temp.File("sizes.json", "{\"Sample\": 12}")} --out {output}", "sizes.json: member 'Sample' gives plate Sample another size than the 10 given besides the file"),
            ($"simulate {model} --plate Sampel=10 --out {output}", "--plate Sampel: the model has no plate 'Sampel'; did you mean 'Sample'?"),
            ($"simulate {model} --plate Sample=10 --plate Feature=2 --set y=1 --out {output}", "--set y: y is an observed node, which the simulation draws; set data, parameter and latent nodes only"),
            ($"simulate {model} --plate Sample=10 --plate Feature=2 --set beta=nan --out {output}", "--set beta: beta[1] is NaN, not a finite number"),
            ($"simulate {Path.Combine(RepoPaths.Models, "Gimvi", "Gimvi.cs")} --plate SeqCell=3 --plate SpatialCell=3 --plate Gene=2 --plate SpatialGene=1 --plate Dim=2 --set libraryLogVar=-1 --out {output}",
                "--set libraryLogVar: libraryLogVar is -1, but libraryLogVar is the argument of Sqrt in l (line 45), which must be of 0 or more"),
            ($"simulate {temp.File("Shrunk.cs", ShrunkScale)} --plate Item=3 --set shrink=2 --out {output}", "simulating 'y': its sd is NaN"),
            ($"fit {Path.Combine(RepoPaths.Models, "Scvi", "Scvi.cs")} --data x[Gene,Cell]={Path.Combine(RepoPaths.Pbmc, "counts.mtx")} --out {output}", "no member 's' for data node s(Cell)"),
        ];
        foreach (var (args, line) in cases)
        {
            var result = RunDsl(args.Split(' '));
            Assert.True(result.Exit == 1, $"{args}: exit {result.Exit}");
            var last = result.Err.TrimEnd().Split('\n')[^1];
            Assert.StartsWith("dsl: ", last);
            Assert.Contains(line, last);
            Assert.DoesNotContain("   at ", result.Err);
        }
    }
}
