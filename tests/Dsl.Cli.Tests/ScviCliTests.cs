using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests;

/// <summary>`dsl simulate scvi` then `dsl fit scvi` on its files, the outputs' shape, and bad inputs.</summary>
public sealed class ScviCliTests
{
    [Fact]
    public void SimulateThenFit_WritesEveryOutput_WithHeadersAndNames()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "scvi", "--cells", "300", "--genes", "40", "--seed", "2", "--out", data).Exit);
        var fitted = Path.Combine(temp.Path, "fit");
        var fit = RunDsl("fit", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch",
            "--epochs", "3", "--threads", "1", "--out", fitted);
        Assert.True(fit.Exit == 0, fit.Err);
        Assert.Contains("epoch 3/3", fit.Err);
        foreach (var name in new[] { "latent.csv", "normalized.csv", "imputed.csv", "library.csv", "theta.csv", "history.csv", "summary.json", "model/parameters.bin", "checkpoint.bin" })
            Assert.True(File.Exists(Path.Combine(fitted, name)), name);
        var latent = File.ReadAllLines(Path.Combine(fitted, "latent.csv"));
        Assert.Equal("cell,z0,z1,z2,z3,z4,z5,z6,z7,z8,z9", latent[0]);
        Assert.Equal(301, latent.Length);
        Assert.StartsWith("cell1,", latent[1]);
        var normalized = File.ReadAllLines(Path.Combine(fitted, "normalized.csv"));
        // Each row of ρ is a softmax over the genes.
        var row = normalized[5].Split(',').Skip(1).Select(double.Parse).ToArray();
        Assert.Equal(40, row.Length);
        Assert.Equal(1.0, row.Sum(), 4);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(fitted, "history.csv")).Length);

        // The saved model reloaded on the same cells gives the fit's own outputs, value for value.
        var imputed = Path.Combine(temp.Path, "impute");
        var impute = RunDsl("impute", "--model", Path.Combine(fitted, "model"), "--counts", Path.Combine(data, "counts.csv"),
            "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch", "--threads", "1", "--out", imputed);
        Assert.True(impute.Exit == 0, impute.Err);
        foreach (var name in new[] { "latent.csv", "normalized.csv", "imputed.csv", "library.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(fitted, name)), File.ReadAllText(Path.Combine(imputed, name)));
        // Decoding every cell with batch1 changes ρ of the batch0 cells only.
        var transformed = Path.Combine(temp.Path, "transformed");
        Assert.Equal(0, RunDsl("impute", "--model", Path.Combine(fitted, "model"), "--counts", Path.Combine(data, "counts.csv"),
            "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch", "--transform-batch", "batch1", "--out", transformed).Exit);
        var batches = File.ReadAllLines(Path.Combine(data, "cells.csv")).Skip(1).Select(l => l.Split(',')[1]).ToArray();
        var own = File.ReadAllLines(Path.Combine(fitted, "normalized.csv"));
        var moved = File.ReadAllLines(Path.Combine(transformed, "normalized.csv"));
        for (var c = 0; c < 300; c++)
            Assert.Equal(batches[c] == "batch1", own[c + 1] == moved[c + 1]);

        var table = Path.Combine(temp.Path, "de.csv");
        var de = RunDsl("de", "--model", Path.Combine(fitted, "model"), "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"),
            "--batch-key", "batch", "--group-key", "cluster", "--group1", "cluster0", "--group2", "cluster1", "--pairs", "500", "--out", table);
        Assert.True(de.Exit == 0, de.Err);
        var lines = File.ReadAllLines(table);
        Assert.Equal("gene,bayes_factor,p_group1_higher,mean_rho_group1,mean_rho_group2,log2_fold_change,differential", lines[0]);
        Assert.Equal(41, lines.Length);
        // Sorted by |K|; K = ln((hits + ½)/(misses + ½)) is bounded by ln(1001).
        var factors = lines.Skip(1).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(factors.OrderByDescending(Math.Abs), factors);
        Assert.All(factors, k => Assert.InRange(k, -Math.Log(1001) - 1e-9, Math.Log(1001) + 1e-9));
    }

    [Theory]
    [InlineData("nb", true)]
    [InlineData("poisson", false)]
    public void Likelihood_FitsItsDeclaredVariant_AndTheSavedModelReloadsAsIt(string likelihood, bool hasDispersion)
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "scvi", "--cells", "60", "--genes", "12", "--seed", "3", "--out", data).Exit);
        var fitted = Path.Combine(temp.Path, "fit");
        var fit = RunDsl("fit", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch",
            "--likelihood", likelihood, "--epochs", "2", "--threads", "1", "--out", fitted);
        Assert.True(fit.Exit == 0, fit.Err);
        Assert.Contains($"fitting scVI ({likelihood} counts)", fit.Out);
        Assert.Equal(hasDispersion, File.Exists(Path.Combine(fitted, "theta.csv")));
        Assert.Contains($"\"likelihood\": \"{likelihood}\"", File.ReadAllText(Path.Combine(fitted, "summary.json")));
        Assert.Contains($"\"likelihood\": \"{likelihood}\"", File.ReadAllText(Path.Combine(fitted, "model", "settings.json")));
        // Reloading builds the same variant: its parameters would not fit another's (ZINB has a dropout head, NB a θ).
        var imputed = Path.Combine(temp.Path, "impute");
        var impute = RunDsl("impute", "--model", Path.Combine(fitted, "model"), "--counts", Path.Combine(data, "counts.csv"),
            "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch", "--threads", "1", "--out", imputed);
        Assert.True(impute.Exit == 0, impute.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(fitted, "imputed.csv")), File.ReadAllText(Path.Combine(imputed, "imputed.csv")));
        // Its checkpoint does not resume the ZINB model, and says so.
        var resume = RunDsl("fit", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch",
            "--epochs", "2", "--threads", "1", "--resume", "--out", fitted);
        Assert.NotEqual(0, resume.Exit);
        Assert.Contains("checkpoint.bin: cannot resume from this checkpoint: it holds another model's parameters", resume.Err);
    }

    [Fact]
    public void UnknownLikelihood_IsRefusedListingTheChoices()
    {
        var fit = RunDsl("fit", "scvi", "--counts", "counts.csv", "--likelihood", "zip", "--out", "fit");
        Assert.NotEqual(0, fit.Exit);
        Assert.Contains("zip", fit.Err);
        Assert.Contains("zinb", fit.Err);
        Assert.Contains("poisson", fit.Err);
    }

    [Fact]
    public void Eval_PrintsEveryScore_AndWritesJson()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "scvi", "--cells", "200", "--genes", "30", "--clusters", "3", "--seed", "4", "--out", data).Exit);
        var result = RunDsl("eval", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch",
            "--labels-key", "cluster", "--epochs", "4", "--samples", "5", "--kmeans-starts", "3", "--threads", "1", "--out", Path.Combine(temp.Path, "eval"));
        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("held-out cells: 20 (trained on 180, 4 epochs)", result.Out);
        Assert.Contains("latent vs 3 labels: silhouette", result.Out);
        Assert.Contains("entropy of batch mixing", result.Out);
        Assert.Contains("imputation, zeroed non-zeros", result.Out);
        Assert.Contains("imputation, binomial downsampling", result.Out);
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "eval", "evaluation.json"))).RootElement;
        Assert.True(json.TryGetProperty("HeldOutLogLikelihood", out _));
        // The held-out cells are named, distinct and among the data's, so another implementation can be scored on them.
        var held = json.GetProperty("HeldOutCellNames").EnumerateArray().Select(e => e.GetString()!).ToList();
        var cells = File.ReadAllLines(Path.Combine(data, "counts.csv")).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        Assert.Equal(20, held.Distinct().Count());
        Assert.All(held, name => Assert.Contains(name, cells));
    }

    [Fact]
    public void Impute_RefusesAMissingModelAndAnUnseenBatch()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "scvi", "--cells", "40", "--genes", "8", "--out", data).Exit);
        var missing = RunDsl("impute", "--model", Path.Combine(temp.Path, "nowhere"), "--counts", Path.Combine(data, "counts.csv"), "--out", Path.Combine(temp.Path, "o"));
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("no such model folder", missing.Err);
        var fitted = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, RunDsl("fit", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch",
            "--epochs", "1", "--out", fitted).Exit);
        var relabelled = temp.File("cells.csv", "cell,batch\n" + string.Concat(Enumerable.Range(1, 40).Select(c => $"cell{c},{(c == 7 ? "batch9" : "batch0")}\n")));
        var unseen = RunDsl("impute", "--model", Path.Combine(fitted, "model"), "--counts", Path.Combine(data, "counts.csv"), "--metadata", relabelled,
            "--batch-key", "batch", "--out", Path.Combine(temp.Path, "o"));
        Assert.NotEqual(0, unseen.Exit);
        Assert.Contains("batch 'batch9' was not seen in training", unseen.Err);
        var noBatch = RunDsl("impute", "--model", Path.Combine(fitted, "model"), "--counts", Path.Combine(data, "counts.csv"), "--out", Path.Combine(temp.Path, "o"));
        Assert.Contains("give --metadata and --batch-key", noBatch.Err);
    }

    [Fact]
    public void MissingBatchColumn_IsOneClearError()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "scvi", "--cells", "20", "--genes", "5", "--out", data).Exit);
        var fit = RunDsl("fit", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "donor",
            "--out", Path.Combine(temp.Path, "fit"));
        Assert.NotEqual(0, fit.Exit);
        Assert.Contains("no column 'donor'", fit.Err);
        Assert.Contains("batch, cluster", fit.Err);
    }

    [Fact]
    public void NonIntegerCounts_AreRefusedNamingTheEntry()
    {
        using var temp = new TempFolder();
        var counts = temp.File("counts.csv", "cell,g1,g2\nc1,1,2\nc2,0.5,3\n");
        var fit = RunDsl("fit", "scvi", "--counts", counts, "--out", Path.Combine(temp.Path, "fit"));
        Assert.NotEqual(0, fit.Exit);
        Assert.Contains("counts.csv:3", fit.Err);
        Assert.Contains("is 0.5, not an integer", fit.Err);
    }
}
