using System.Text.Json;
using Dsl.Cli.Declared;
using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Declared.SimulatedFit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>`dsl fit` on a model every latent of which has a conjugate update: exact Gibbs by default, NUTS on request, NUTS's own options refused.</summary>
public sealed class ExactGibbsCliTests
{
    [Fact]
    public void AFullyConjugateModel_IsFittedByExactGibbs_AndRecoversItsTruth()
    {
        using var temp = new TempFolder();
        var (sim, fit) = SimulateAndFit(temp, RepoPaths.Conjugate,
            ["--model", "NormalPrecisions", "--plate", "Observation=400", "--plate", "Group=10", "--seed", "5"], ["--model", "NormalPrecisions"]);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(fit, "summary.json")));
        Assert.Equal("exact Gibbs", summary.RootElement.GetProperty("engine").GetString());
        Assert.Equal(4000, summary.RootElement.GetProperty("draws").GetInt32());
        var truth = Truth(sim);
        var fitted = Summary(fit);
        var thetas = truth.Keys.Where(k => k.StartsWith("theta[", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, thetas.Count);
        // 90 % intervals of the ten group means: 9 expected, binomial sd 0.95; 6 is over three sd below.
        Assert.True(thetas.Count(t => fitted[t][Q5] <= truth[t] && truth[t] <= fitted[t][Q95]) >= 6, "group means' intervals");
        // The residual precision from 400 observations: within 3.3 posterior sds of the truth (a 0.1 % two-sided tail).
        var (mean, sd) = (Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "mean"), Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "sd"));
        Assert.True(Math.Abs(fitted["precision"][mean] - truth["precision"]) <= 3.3 * fitted["precision"][sd], $"precision {fitted["precision"][mean]} ± {fitted["precision"][sd]}, truth {truth["precision"]}");
        Assert.All(fitted.Values, row => Assert.True(row[RHat] < 1.01, $"R-hat {row[RHat]}"));
    }

    /// <summary>
    /// docs/examples/ConjugateRates.cs on the real PBMC counts (230 genes x 80 cells), each cell's size factor its total
    /// over the median. Given the hyperprior's draw b, rate_g | rest ~ Gamma(1.5 + Σ_c y_gc, b + Σ_c size_c). With
    /// Σ size = 80 against b ≈ 1.9 ± 0.1, b's spread moves the conditional mean by under 0.2 %, so each gene's
    /// posterior mean is (1.5 + Y_g) / (E[b] + 80) to that, computed here from the counts alone.
    /// </summary>
    [Fact]
    public void GeneRatesOnRealCounts_AreTheirClosedFormConditionalMeans()
    {
        using var temp = new TempFolder();
        var counts = Path.Combine(RepoPaths.Root, "data", "pbmc_small", "counts.mtx");
        var entries = File.ReadLines(counts).Where(l => !l.StartsWith('%')).Skip(1).Select(l => l.Split(' ')).Select(p => (Gene: int.Parse(p[0]) - 1, Cell: int.Parse(p[1]) - 1, Count: double.Parse(p[2]))).ToList();
        var cellTotals = new double[80];
        var geneTotals = new double[230];
        foreach (var (gene, cell, count) in entries) (cellTotals[cell], geneTotals[gene]) = (cellTotals[cell] + count, geneTotals[gene] + count);
        var median = cellTotals.Order().Skip(39).Take(2).Average();
        var sizes = temp.File("size.json", JsonSerializer.Serialize(new { size = cellTotals.Select(t => t / median).ToArray() }));
        var fit = Path.Combine(temp.Path, "fit");
        var result = RunDsl("fit", Path.Combine(RepoPaths.Root, "docs", "examples", "ConjugateRates.cs"), "--data", $"y[Gene,Cell]={counts}", "--data", sizes, "--out", fit, "--quiet");
        Assert.True(result.Exit == 0, result.Err);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(fit, "summary.json"))))
            Assert.Equal("exact Gibbs", summary.RootElement.GetProperty("engine").GetString());
        var fitted = Summary(fit);
        var (mean, mcse) = (Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "mean"), Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "mcse"));
        var exposure = cellTotals.Sum() / median;
        for (var g = 0; g < 230; g++)
        {
            var expected = (1.5 + geneTotals[g]) / (fitted["scale"][mean] + exposure);
            var row = fitted[$"rate[{g + 1}]"];
            // Four Monte Carlo standard errors plus the 0.2 % the hyperprior's spread allows.
            Assert.True(Math.Abs(row[mean] - expected) <= 4 * row[mcse] + 0.002 * expected, $"rate[{g + 1}]: {row[mean]}, closed form {expected}");
            Assert.True(row[RHat] < 1.01, $"rate[{g + 1}]: R-hat {row[RHat]}");
        }
    }

    /// <summary>
    /// docs/examples/ClusterActivities.cs on the real PBMC counts: profiles are the three Seurat clusters' mean gene
    /// frequencies over the even-numbered cells, and the split sweeps draw every cell's activities. A held-out
    /// (odd-numbered) cell's largest activity should name its cluster, as Seurat's clustering of all genes does:
    /// 34 of 40 at this seed; 30 leaves room for Monte Carlo error and still needs the profiles to be told apart (a
    /// sampler that ignored the counts would give 40/3 by chance).
    /// </summary>
    [Fact]
    public void ClusterActivitiesOnRealCounts_NameEachHeldOutCellsCluster()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(RepoPaths.Root, "data", "pbmc_small");
        var rows = File.ReadLines(Path.Combine(folder, "expression_dense.csv")).Select(l => l.Split(',')).ToList();
        var cells = rows[0].Skip(1).ToArray();
        var counts = rows.Skip(1).Select(r => r.Skip(1).Select(double.Parse).ToArray()).ToArray();
        var ident = File.ReadLines(Path.Combine(folder, "cells_metadata.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0].Trim('"'), p => int.Parse(p[1].Trim('"')));
        var cluster = cells.Select(c => ident[c]).ToArray();
        var totals = cells.Select((_, c) => counts.Sum(g => g[c])).ToArray();
        // Each cluster's mean frequency per gene over its even-numbered cells, with a pseudo-frequency of 1e-4 so no
        // profile entry is zero (a zero would forbid the cluster any count of that gene).
        var profile = counts.Select(g => Enumerable.Range(0, 3).Select(k =>
            Enumerable.Range(0, cells.Length).Where(c => c % 2 == 0 && cluster[c] == k).Average(c => g[c] / totals[c]) + 1e-4).ToArray()).ToArray();
        var profiles = temp.File("profile.json", JsonSerializer.Serialize(new { profile }));
        var fit = Path.Combine(temp.Path, "fit");
        var result = RunDsl("fit", Path.Combine(RepoPaths.Root, "docs", "examples", "ClusterActivities.cs"), "--data", $"y[Gene,Cell]={Path.Combine(folder, "counts.mtx")}",
            "--data", profiles, "--method", "gibbs", "--out", fit, "--quiet");
        Assert.True(result.Exit == 0, result.Err);
        var fitted = Summary(fit);
        var mean = Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "mean");
        var named = Enumerable.Range(0, cells.Length).Where(c => c % 2 == 1)
            .Count(c => Enumerable.Range(0, 3).MaxBy(k => fitted[$"activity[{c + 1},{k + 1}]"][mean]) == cluster[c]);
        Assert.True(named >= 30, $"{named} of 40 held-out cells in their cluster");
    }

    [Fact]
    public void MethodNuts_FitsTheSameModelByNuts_AndNutsOptionsAreRefusedForExactGibbs()
    {
        using var temp = new TempFolder();
        var sim = Path.Combine(temp.Path, "sim");
        Assert.Equal(0, RunDsl("simulate", RepoPaths.Conjugate, "--model", "BetaBinomialSites", "--plate", "Site=8", "--set", "trials=20", "--out", sim).Exit);
        var data = Path.Combine(sim, "data.json");
        var nuts = RunDsl("fit", RepoPaths.Conjugate, "--model", "BetaBinomialSites", "--data", data, "--method", "nuts", "--out", Path.Combine(temp.Path, "nuts"), "--quiet");
        Assert.True(nuts.Exit == 0, nuts.Err);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "nuts", "summary.json"))))
            Assert.Equal("NUTS", summary.RootElement.GetProperty("engine").GetString());

        var metric = RunDsl("fit", RepoPaths.Conjugate, "--model", "BetaBinomialSites", "--data", data, "--metric", "dense", "--out", Path.Combine(temp.Path, "gibbs"));
        Assert.NotEqual(0, metric.Exit);
        Assert.Contains("--metric", metric.Err);
        Assert.Contains("exact Gibbs", metric.Err);

        // A model the catalogue does not cover (every latent would be a slice step): the refusal names the first latent and the reason.
        var notConjugate = RunDsl("fit", RepoPaths.Textbook, "--model", "StudentTScale", "--data", data, "--method", "gibbs", "--out", Path.Combine(temp.Path, "vi"));
        Assert.NotEqual(0, notConjugate.Exit);
        Assert.Contains("fitted by NUTS (--method nuts), not by exact Gibbs; exact Gibbs has no plan: 'nu': a Uniform prior has an exact update only on (0, 1), as Beta(1, 1)", notConjugate.Err);

        var resume = RunDsl("fit", RepoPaths.Conjugate, "--model", "BetaBinomialSites", "--data", data, "--resume", "--out", Path.Combine(temp.Path, "resumed"));
        Assert.NotEqual(0, resume.Exit);
        Assert.Contains("keeps no checkpoint", resume.Err);
        Assert.Single(resume.Err.Trim().Split('\n'));
    }
}
