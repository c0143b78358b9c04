using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests;

/// <summary>`dsl simulate ursm` then `dsl fit ursm` on its files, the outputs' shape, and bad inputs.</summary>
public sealed class UrsmCliTests
{
    [Fact]
    public void SimulateThenFit_WritesEveryOutput_WithHeadersAndNames()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "ursm", "-N", "100", "-L", "30", "-M", "20", "--seed", "3", "--out", data).Exit);
        var fitted = Path.Combine(temp.Path, "fit");
        var fit = RunDsl("fit", "ursm", "--sc", Path.Combine(data, "sc.csv"), "--types", Path.Combine(data, "types.txt"), "--bulk", Path.Combine(data, "bulk.csv"),
            "-K", "3", "--burnin", "5", "--samples", "10", "--em-iters", "2", "--out", fitted);
        Assert.True(fit.Exit == 0, fit.Err);
        Assert.Contains("EM iteration 2/2", fit.Err);
        foreach (var name in new[] { "A.csv", "W.csv", "S.csv", "alpha.csv", "dropout_params.csv", "cells.csv", "elbo.csv", "imputed.csv", "summary.json", "checkpoint.bin" })
            Assert.True(File.Exists(Path.Combine(fitted, name)), name);
        var a = File.ReadAllLines(Path.Combine(fitted, "A.csv"));
        Assert.Equal("gene,type0,type1,type2", a[0]);
        Assert.Equal(101, a.Length);
        Assert.StartsWith("gene0,", a[1]);
        var s = File.ReadAllLines(Path.Combine(fitted, "S.csv"));
        Assert.Equal(31, s.Length);
        Assert.StartsWith("cell,gene0,gene1", s[0]);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(fitted, "elbo.csv")).Length);
        Assert.Empty(Directory.GetFiles(fitted, "*.tmp"));
    }

    [Fact]
    public void TypeOutsideRange_IsOneLine_NamingFileAndLine()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        RunDsl("simulate", "ursm", "-N", "100", "-L", "30", "-M", "5", "--out", data);
        var types = File.ReadAllLines(Path.Combine(data, "types.txt"));
        types[4] = "7";
        File.WriteAllLines(Path.Combine(data, "types.txt"), types);
        var result = RunDsl("fit", "ursm", "--sc", Path.Combine(data, "sc.csv"), "--types", Path.Combine(data, "types.txt"), "-K", "3", "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, result.Exit);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("types.txt:5: cell type 7 is outside 0..2", result.Err);
    }

    [Fact]
    public void TypeCountMismatch_AndMissingMarkers_AreRefused()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        RunDsl("simulate", "ursm", "-N", "100", "-L", "30", "-M", "5", "--out", data);
        var types = Path.Combine(data, "types.txt");
        File.WriteAllLines(types, File.ReadAllLines(types).Take(20));
        var mismatch = RunDsl("fit", "ursm", "--sc", Path.Combine(data, "sc.csv"), "--types", types, "-K", "3", "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, mismatch.Exit);
        Assert.Contains("20 cell types for 30 single cells", mismatch.Err);
        File.WriteAllLines(types, Enumerable.Repeat("0", 30));
        var unmarked = RunDsl("fit", "ursm", "--sc", Path.Combine(data, "sc.csv"), "--types", types, "-K", "2", "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, unmarked.Exit);
        Assert.Contains("--markers", unmarked.Err);
    }
}
