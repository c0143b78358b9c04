using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Hostile.HostileCase;

namespace Dsl.Cli.Tests.Hostile;

/// <summary>The round's stack traces (exit 134) and weakest messages, each now one line that names the place and the fix.</summary>
public sealed class OneLineErrorTests
{
    [Fact]
    public void OutIsAFile_IsOneLine()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var file = temp.File("taken", "x");

        AssertOneLine(FitScvi(data, file), "is a file, not a folder");
    }

    [Fact]
    public void OutCannotBeCreated_IsOneLine()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        temp.File("blocker", "x");

        AssertOneLine(FitScvi(data, Path.Combine(temp.Path, "blocker", "fit")), "cannot create the folder");
    }

    [Fact]
    public void AFolderWhereAnOutputFileGoes_IsOneLine_AndTheFitsOtherOutputsAreNotHalfWritten()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        Directory.CreateDirectory(Path.Combine(temp.Path, "fit", "latent.csv"));

        var result = FitScvi(data, Path.Combine(temp.Path, "fit"));

        // The folder is found when the outputs are written, after training, so progress lines come first.
        Assert.Equal(1, result.Exit);
        Assert.Single(result.Err.Split('\n'), l => l.StartsWith("dsl: "));
        Assert.Contains("latent.csv: a folder is in the way", result.Err.TrimEnd('\n').Split('\n')[^1]);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.Empty(Directory.GetFiles(Path.Combine(temp.Path, "fit"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void TwoModelsOfOneName_InTwoNamespaces_Check()
    {
        using var temp = new TempFolder();
        var source = File.ReadAllText(RepoPaths.ModelFiles.Single(f => f.EndsWith("Ursm.cs")));
        var first = temp.File("a/Ursm.cs", source);
        var second = temp.File("b/Ursm.cs", source.Replace("namespace Dsl.Models.Ursm", "namespace Lab.Variants"));

        var result = RunDsl("check", first, second);

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("0 error(s)", result.Out);
    }

    [Fact]
    public void TruncatedGzipMatrix_SaysTruncated()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "tenx");
        Assert.Equal(0, RunDsl("data", "convert", RepoPaths.Pbmc, folder, "--gzip").Exit);
        var matrix = Path.Combine(folder, "matrix.mtx.gz");
        var bytes = File.ReadAllBytes(matrix);
        File.WriteAllBytes(matrix, bytes[..(bytes.Length * 2 / 3)]);

        AssertOneLine(RunDsl("data", "info", folder), "matrix.mtx.gz");
        Assert.Contains("truncated", RunDsl("data", "info", folder).Err);
    }

    [Fact]
    public void TruncatedGzipBarcodes_SaysTruncated_NotDuplicate()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "tenx");
        temp.File("plain/matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 120 1\n1 1 3\n");
        temp.File("plain/features.tsv", "g1\ng2\n");
        // cell1 .. cell120: cut mid-name, "cell1" of "cell10x" would repeat an earlier name.
        temp.File("plain/barcodes.tsv", string.Concat(Enumerable.Range(1, 120).Select(i => $"cell{i}\n")));
        Assert.Equal(0, RunDsl("data", "convert", Path.Combine(temp.Path, "plain"), folder, "--gzip").Exit);
        var barcodes = Path.Combine(folder, "barcodes.tsv.gz");
        var bytes = File.ReadAllBytes(barcodes);
        File.WriteAllBytes(barcodes, bytes[..(bytes.Length - 12)]);

        var result = RunDsl("data", "info", folder);

        AssertOneLine(result, "barcodes.tsv.gz");
        Assert.Contains("truncated", result.Err);
        Assert.DoesNotContain("repeats", result.Err);
    }

    [Fact]
    public void TabsInACsv_NameTheDelimiterFound()
    {
        using var temp = new TempFolder();
        var counts = temp.File("counts.csv", "cell\tg1\tg2\nc1\t1\t2\nc2\t3\t4\n");

        AssertOneLine(RunDsl("data", "info", counts), "holds tabs and no commas");
    }

    [Fact]
    public void SizeLineClaimingBillionsOfEntries_IsRefusedAtOnce()
    {
        using var temp = new TempFolder();
        var matrix = temp.File("big/matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n60000 40000 2000000000\n1 1 3\n");

        AssertOneLine(RunDsl("data", "info", matrix), "declares 2000000000 entries, but the file's");
    }

    [Fact]
    public void SizeLineClaimingMoreEntriesThanPlaces_IsRefused()
    {
        using var temp = new TempFolder();
        var matrix = temp.File("small/matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 5\n1 1 3\n1 2 3\n2 1 3\n2 2 3\n1 1 3\n");

        AssertOneLine(RunDsl("data", "info", matrix), "more than the 2 x 2 matrix has places");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void ScviOnOneOrTwoCells_IsRefused(int cells)
    {
        using var temp = new TempFolder();
        var counts = temp.File("counts.csv", "cell,g1,g2\n" + string.Concat(Enumerable.Range(1, cells).Select(c => $"c{c},{c},3\n")));

        AssertOneLine(RunDsl("fit", "scvi", "--counts", counts, "--epochs", "1", "--out", Path.Combine(temp.Path, "fit")), "needs at least 3");
    }

    [Fact]
    public void ScviWithoutHeldOutCells_SaysTheValidationElboIsNotComputed()
    {
        using var temp = new TempFolder();
        var counts = temp.File("counts.csv", "cell,g1,g2\n" + string.Concat(Enumerable.Range(1, 4).Select(c => $"c{c},{c},3\n")));

        var result = RunDsl("fit", "scvi", "--counts", counts, "--epochs", "1", "--threads", "1", "--out", Path.Combine(temp.Path, "fit"));

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("no cells are held out for validation", result.Err);
        Assert.Contains("validation ELBO not computed", result.Out);
    }

    [Fact]
    public void EmptyOut_BinaryCounts_AndAnAbsurdLatent_AreOneLine()
    {
        using var temp = new TempFolder();
        var counts = temp.File("counts.csv", "cell,g1,g2\nc1,1,2\nc2,3,4\nc3,5,0\n");
        var binary = temp.File("binary.csv");
        File.WriteAllBytes(binary, [0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x0a]);

        AssertOneLine(RunDsl("fit", "scvi", "--counts", counts, "--out", ""), "--out is empty");
        AssertOneLine(RunDsl("fit", "scvi", "--counts", binary, "--out", Path.Combine(temp.Path, "fit")), "binary file, not text");
        AssertOneLine(RunDsl("fit", "scvi", "--counts", counts, "--latent", "100000", "--out", Path.Combine(temp.Path, "fit")), "--latent must be in 1..1000");
    }

    [Fact]
    public void DebugFlag_AddsTheTrace_AfterTheOneLine()
    {
        using var temp = new TempFolder();
        var result = RunDsl("data", "info", temp.File("counts.csv", "cell,g1\nc1,x\n"), "--debug");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith("dsl: ", result.Err);
        Assert.Contains("   at ", result.Err);
    }
}

/// <summary>The top-level handler's two kinds of failure.</summary>
public sealed class FailureReportTests
{
    [Fact]
    public void ABug_IsOneLine_SayingSo_WithExit70()
    {
        var error = new StringWriter();

        var exit = DslApp.Report(new AggregateException(new InvalidCastException("boom")), debug: false, error);

        Assert.Equal(70, exit);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.Contains("internal error (InvalidCastException: boom); this is a bug in dsl", error.ToString());
        Assert.Contains("--debug", error.ToString());
    }

    [Fact]
    public void AnExpectedFailureInsideAParallelLoop_IsItsOwnOneLine()
    {
        var error = new StringWriter();

        var exit = DslApp.Report(new AggregateException(new InvalidDataException("x.bin: the file is damaged")), debug: false, error);

        Assert.Equal(1, exit);
        Assert.Equal("dsl: x.bin: the file is damaged", error.ToString().TrimEnd('\n'));
    }
}
