using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Hostile;

/// <summary>Shared set-ups and the one assertion every refused input must pass: one line, exit 1, no trace.</summary>
internal static class HostileCase
{
    public static void AssertOneLine((int Exit, string Out, string Err) result, string phrase)
    {
        Assert.True(result.Exit == 1, $"exit {result.Exit}: {result.Err}");
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(phrase, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.DoesNotContain("internal error", result.Err);
    }

    /// <summary>A small URSM simulation (100 genes, 30 cells, 20 bulk samples) in temp/NAME.</summary>
    public static string UrsmData(TempFolder temp, int seed = 3, string name = "data")
    {
        var data = Path.Combine(temp.Path, name);
        Assert.Equal(0, RunDsl("simulate", "ursm", "-N", "100", "-L", "30", "-M", "20", "--seed", seed.ToString(), "--out", data).Exit);
        return data;
    }

    public static (int Exit, string Out, string Err) FitUrsm(string data, string folder, params string[] extra) =>
        RunDsl(["fit", "ursm", "--sc", Path.Combine(data, "sc.csv"), "--types", Path.Combine(data, "types.txt"), "--bulk", Path.Combine(data, "bulk.csv"),
            "-K", "3", "--burnin", "2", "--samples", "4", "--em-iters", "2", "--threads", "1", "--out", folder, .. extra]);

    /// <summary>A small scVI simulation (60 cells, 12 genes, 2 batches) in temp/NAME.</summary>
    public static string ScviData(TempFolder temp, int seed = 3, string name = "data")
    {
        var data = Path.Combine(temp.Path, name);
        Assert.Equal(0, RunDsl("simulate", "scvi", "--cells", "60", "--genes", "12", "--seed", seed.ToString(), "--out", data).Exit);
        return data;
    }

    public static (int Exit, string Out, string Err) FitScvi(string data, string folder, params string[] extra) =>
        RunDsl(["fit", "scvi", "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch",
            "--epochs", "2", "--threads", "1", "--out", folder, .. extra]);
}
