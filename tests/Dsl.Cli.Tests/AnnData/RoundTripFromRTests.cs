using System.Diagnostics;
using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.AnnData;

/// <summary>
/// docs/from-python-and-r.md's Seurat round trip, in base R with the Matrix package (what Seurat's counts are): a
/// dgCMatrix written as a 10x folder, fitted, and latent.csv read back lined up with the matrix's cells.
/// </summary>
public sealed class RoundTripFromRTests
{
    private const string Rscript = "/usr/bin/Rscript";

    [SkippableFact]
    public void DgCMatrix_WrittenAs10x_Fits_AndTheLatentReadsBackByCell()
    {
        Skip.IfNot(File.Exists(Rscript), "R is missing (apt-get install r-base-core r-cran-matrix); CI installs it");
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "pbmc10x").Replace('\\', '/');
        var source = Path.Combine(RepoPaths.Pbmc, "counts.mtx").Replace('\\', '/');
        R($$"""
            library(Matrix)
            counts <- as(readMM("{{source}}"), "CsparseMatrix")
            rownames(counts) <- readLines("{{RepoPaths.Pbmc}}/genes.tsv")
            colnames(counts) <- readLines("{{RepoPaths.Pbmc}}/cells.tsv")
            dir.create("{{folder}}")
            writeMM(counts, "{{folder}}/matrix.mtx")
            writeLines(rownames(counts), "{{folder}}/features.tsv")
            writeLines(colnames(counts), "{{folder}}/barcodes.tsv")
            write.csv(data.frame(cell = colnames(counts), batch = rep(c("a", "b"), length.out = ncol(counts))), "{{folder}}/cells.csv", row.names = FALSE)
            """);

        var fit = RunDsl("fit", "scvi", "--counts", folder, "--metadata", folder + "/cells.csv", "--batch-key", "batch", "--epochs", "5", "--threads", "1",
            "--out", Path.Combine(temp.Path, "fit"));
        Assert.True(fit.Exit == 0, fit.Err);

        var check = R($$"""
            latent <- as.matrix(read.csv("{{Path.Combine(temp.Path, "fit", "latent.csv").Replace('\\', '/')}}", row.names = 1))
            cells <- readLines("{{folder}}/barcodes.tsv")
            cat(dim(latent), identical(rownames(latent), cells), all(is.finite(latent)), "\n")
            """);
        Assert.Equal("80 10 TRUE TRUE", check.Trim());
    }

    private static string R(string code)
    {
        var script = Path.GetTempFileName();
        File.WriteAllText(script, code);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Rscript, [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"R failed: {error.Result}");
            return output.Result;
        }
        finally { File.Delete(script); }
    }
}
