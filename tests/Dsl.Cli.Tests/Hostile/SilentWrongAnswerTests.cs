using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Hostile.HostileCase;

namespace Dsl.Cli.Tests.Hostile;

/// <summary>
/// The hostile round's silent wrong answers: each used to give exit 0 and a wrong result. Now each is refused in one
/// line, or read as the user meant.
/// </summary>
public sealed class SilentWrongAnswerTests
{
    /// <summary>A headed --sc with a header-less --bulk matched made-up gene names to real ones and shifted every gene by one.</summary>
    [Fact]
    public void NamedAndUnnamedGenes_AreNeverMatched()
    {
        using var temp = new TempFolder();
        var data = UrsmData(temp);
        var bulk = Path.Combine(data, "bulk.csv");
        var headerless = temp.File("bulk_plain.csv", string.Join("\n", File.ReadAllLines(bulk).Skip(1).Select(l => l[(l.IndexOf(',') + 1)..])) + "\n");

        var mixed = RunDsl("fit", "ursm", "--sc", Path.Combine(data, "sc.csv"), "--types", Path.Combine(data, "types.txt"), "--bulk", headerless, "-K", "3",
            "--em-iters", "1", "--out", Path.Combine(temp.Path, "fit"));

        AssertOneLine(mixed, "names its genes but");
        Assert.Contains("bulk_plain.csv does not", mixed.Err);
        Assert.False(File.Exists(Path.Combine(temp.Path, "fit", "A.csv")));
    }

    [Fact]
    public void UnnamedGenesOnBothSides_AlignByPosition_OnlyWhenWidthsAgree()
    {
        using var temp = new TempFolder();
        var data = UrsmData(temp);
        string Plain(string name, int dropColumns) => temp.File(name + "_plain.csv", string.Join("\n", File.ReadAllLines(Path.Combine(data, name + ".csv")).Skip(1)
            .Select(l => string.Join(",", l.Split(',').Skip(1).SkipLast(dropColumns)))) + "\n");
        var sc = Plain("sc", 0);

        var aligned = RunDsl("fit", "ursm", "--sc", sc, "--types", Path.Combine(data, "types.txt"), "--bulk", Plain("bulk", 0), "-K", "3",
            "--burnin", "2", "--samples", "4", "--em-iters", "1", "--out", Path.Combine(temp.Path, "fit"));
        var narrower = RunDsl("fit", "ursm", "--sc", sc, "--types", Path.Combine(data, "types.txt"), "--bulk", Plain("bulk", 1), "-K", "3",
            "--em-iters", "1", "--out", Path.Combine(temp.Path, "fit2"));

        Assert.True(aligned.Exit == 0, aligned.Err);
        Assert.DoesNotContain("note:", aligned.Err);
        AssertOneLine(narrower, "100 gene columns and");
    }

    /// <summary>`dsl data info other.mtx` in a folder that also holds matrix.mtx read matrix.mtx.</summary>
    [Fact]
    public void MatrixMarketPath_ReadsThatFile_NotTheFoldersMatrix()
    {
        using var temp = new TempFolder();
        temp.File("matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n3 2 2\n1 1 5\n2 2 7\n");
        temp.File("barcodes.tsv", "c1\nc2\n");
        temp.File("features.tsv", "g1\ng2\ng3\n");
        var other = temp.File("other.mtx", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n3 1 40\n");

        var result = RunDsl("data", "info", other);

        Assert.Equal(0, result.Exit);
        Assert.Contains("non-zeros    1", result.Out);
        Assert.Contains("max 40", result.Out);
    }

    [Fact]
    public void LoneMatrixMarketFile_GetsNumberedNames_ThatMetadataCannotMatch()
    {
        using var temp = new TempFolder();
        var lone = temp.File("lone/counts_only.mtx", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n3 1 4\n");
        var metadata = temp.File("cells.csv", "cell,batch\ncell1,a\ncell2,b\n");

        Assert.Equal(0, RunDsl("data", "info", lone).Exit);
        AssertOneLine(RunDsl("data", "info", lone, "--metadata", metadata), "names no cells");
    }

    [Theory]
    [InlineData("1e30")]
    [InlineData("3000000000")]
    public void CountAboveTheLimit_IsRefused_NamingRowAndColumn(string huge)
    {
        using var temp = new TempFolder();
        var counts = temp.File("counts.csv", $"cell,g1,g2\nc1,1,2\nc2,{huge},0\nc3,4,4\n");

        var result = RunDsl("fit", "scvi", "--counts", counts, "--epochs", "1", "--out", Path.Combine(temp.Path, "fit"));

        AssertOneLine(result, "counts.csv:3: column 2 is");
        Assert.Contains("above the largest count accepted (2147483647)", result.Err);
    }

    [Fact]
    public void Resume_OnOtherDataOfTheSameShape_IsRefused_UnlessForced()
    {
        using var temp = new TempFolder();
        var first = ScviData(temp, seed: 3, name: "first");
        var second = ScviData(temp, seed: 4, name: "second");
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(first, folder).Exit);

        var refused = FitScvi(second, folder, "--resume");
        var forced = FitScvi(second, folder, "--resume", "--force");

        AssertOneLine(refused, "it was written for other data");
        Assert.Contains("--force", refused.Err);
        Assert.True(forced.Exit == 0, forced.Err);
    }

    [Fact]
    public void UrsmResume_OnRotatedTypes_IsRefused()
    {
        using var temp = new TempFolder();
        var data = UrsmData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitUrsm(data, folder).Exit);
        var types = Path.Combine(data, "types.txt");
        File.WriteAllLines(types, File.ReadAllLines(types).Select(t => ((int.Parse(t) + 1) % 3).ToString()));

        AssertOneLine(FitUrsm(data, folder, "--resume"), "it was written for other data");
    }

    [Fact]
    public void Resume_WithoutACheckpoint_IsAnError()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);

        var result = FitScvi(data, Path.Combine(temp.Path, "fit"), "--resume");

        AssertOneLine(result, "no checkpoint to resume from");
    }

    /// <summary>A ZINB run's theta.csv stayed behind after a Poisson run into the same folder; temporaries of dead runs stayed forever.</summary>
    [Fact]
    public void SecondFit_RemovesTheFirstFitsOutputsItDoesNotWrite_AndDeadTemporaries_ButNotTheUsersFiles()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);
        Assert.True(File.Exists(Path.Combine(folder, "theta.csv")));
        var notes = temp.File("fit/my_notes.txt", "mine");
        var orphan = temp.File("fit/.checkpoint.bin.999999999.tmp", "left by a killed run");

        Assert.Equal(0, FitScvi(data, folder, "--likelihood", "poisson").Exit);

        Assert.False(File.Exists(Path.Combine(folder, "theta.csv")));
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(notes));
        Assert.True(File.Exists(Path.Combine(folder, "imputed.csv")));
    }

    /// <summary>Ownership is per command: an impute written into a fit's folder replaces the tables it writes and removes none of the fit's.</summary>
    [Fact]
    public void ImputeIntoAFitsFolder_KeepsTheFitsOtherOutputs()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);

        var impute = RunDsl("impute", "--model", Path.Combine(folder, "model"), "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"),
            "--batch-key", "batch", "--out", folder);

        Assert.True(impute.Exit == 0, impute.Err);
        foreach (var name in new[] { "history.csv", "theta.csv", "summary.json", "report.html", "model/parameters.bin", "checkpoint.bin" })
            Assert.True(File.Exists(Path.Combine(folder, name)), name);
    }

    [Fact]
    public void EarlyStopping_IsOptIn()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);

        var plain = FitScvi(data, Path.Combine(temp.Path, "fit"));
        var patienceAlone = FitScvi(data, Path.Combine(temp.Path, "fit2"), "--patience", "3");

        Assert.Equal(0, plain.Exit);
        Assert.Contains("\"patience\": 0", File.ReadAllText(Path.Combine(temp.Path, "fit", "summary.json")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(temp.Path, "fit", "history.csv")).Length);
        AssertOneLine(patienceAlone, "--patience only applies with --early-stopping");
    }

    [Theory]
    [InlineData("scvi", "--burnin")]
    [InlineData("ursm", "--epochs")]
    public void OptionOfTheOtherModel_IsRefused(string model, string option)
    {
        using var temp = new TempFolder();

        var result = RunDsl("fit", model, option, "5", "--out", Path.Combine(temp.Path, "fit"));

        AssertOneLine(result, $"{option} does not apply to fit {model}");
    }
}
