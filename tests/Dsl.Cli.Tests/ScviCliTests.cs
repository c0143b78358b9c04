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
