using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Hostile.HostileCase;

namespace Dsl.Cli.Tests.AnnData;

/// <summary>.h5ad in and out: files written by anndata are read, and what dsl writes loads in anndata.read_h5ad with its categoricals intact.</summary>
public sealed class AnnDataTests
{
    [SkippableFact]
    public void ScviFit_OnAScanpyFile_WritesAnAnnDataThatAnndataLoads()
    {
        PythonAnnData.RequireOrSkip();
        using var temp = new TempFolder();
        var input = PythonAnnData.MakeScanpyLike(temp.Path);
        var output = Path.Combine(temp.Path, "out.h5ad");

        var fit = RunDsl("fit", "scvi", "--counts", input, "--layer", "counts", "--batch-key", "batch", "--epochs", "3", "--threads", "1",
            "--out", Path.Combine(temp.Path, "fit"), "--out-h5ad", output);

        Assert.True(fit.Exit == 0, fit.Err);
        var report = PythonAnnData.Script($$"""
            import anndata
            a = anndata.read_h5ad("{{output}}")
            print(a.shape, a.obsm["X_scVI"].shape, a.layers["scvi_normalized"].shape, a.layers["scvi_imputed"].shape)
            print(a.obs["batch"].dtype, a.obs["labels"].dtype, list(a.obs["batch"].cat.categories), a.obs["scvi_library"].dtype)
            print(a.uns["dsl_scvi"]["likelihood"], a.obs_names[3], a.var_names[7])
            b = anndata.read_h5ad("{{input}}")
            print(abs(a.layers["scvi_normalized"].sum(1) - 1).max() < 1e-4, (a.X != b.X).nnz, (a.layers["counts"] != b.layers["counts"]).nnz, a.obs["percent_mito"].equals(b.obs["percent_mito"]))
            """).Split('\n');
        Assert.Equal("(90, 25) (90, 10) (90, 25) (90, 25)", report[0]);
        Assert.Equal("category category ['b0', 'b1'] float64", report[1]);
        Assert.Equal("zinb cell3 gene7", report[2]);
        // ρ rows are softmaxes; the input file is carried over whole: its normalised X, its counts layer, its obs columns.
        Assert.Equal("True 0 0 True", report[3]);
    }

    [SkippableFact]
    public void UrsmFit_OnAnH5ad_WritesTheSingleCellsWithDropoutProbabilitiesAndW()
    {
        PythonAnnData.RequireOrSkip();
        using var temp = new TempFolder();
        var data = UrsmData(temp);
        var singleCells = Path.Combine(temp.Path, "sc.h5ad");
        Assert.Equal(0, RunDsl("data", "convert", Path.Combine(data, "sc.csv"), singleCells).Exit);
        var output = Path.Combine(temp.Path, "ursm.h5ad");

        var fit = RunDsl("fit", "ursm", "--sc", singleCells, "--types", Path.Combine(data, "types.txt"), "--bulk", Path.Combine(data, "bulk.csv"),
            "-K", "3", "--burnin", "2", "--samples", "4", "--em-iters", "2", "--threads", "1", "--out", Path.Combine(temp.Path, "fit"), "--out-h5ad", output);
        Assert.True(fit.Exit == 0, fit.Err);

        var report = PythonAnnData.Script($$"""
            import anndata
            a = anndata.read_h5ad("{{output}}")
            p = a.layers["ursm_dropout_prob"]
            print(a.shape, p.shape, a.layers["ursm_imputed"].shape, a.uns["ursm_W"].shape, a.uns["ursm_A"].shape)
            print(a.obs["ursm_type"].dtype, 0 <= p.min(), p.max() <= 1, (p[a.X.toarray() > 0] < 1e-9).all())
            print(abs(a.uns["ursm_W"].sum(1) - 1).max() < 1e-6)
            """).Split('\n');
        Assert.Equal("(30, 100) (30, 100) (30, 100) (20, 3) (100, 3)", report[0]);
        // A gene with a count was not dropped out: its probability is zero.
        Assert.Equal("category True True True", report[1]);
        Assert.Equal("True", report[2]);
    }

    [SkippableTheory]
    [InlineData("csc")]
    [InlineData("dense")]
    public void CountsStoredAsFloats_InCscOrDenseX_AreRead(string kind)
    {
        PythonAnnData.RequireOrSkip();
        using var temp = new TempFolder();
        var input = PythonAnnData.MakeScanpyLike(temp.Path, xKind: kind);

        var x = RunDsl("data", "info", input, "--counts");
        var layer = RunDsl("data", "info", input, "--counts", "--layer", "counts");

        Assert.True(x.Exit == 0, x.Err);
        Assert.Equal(layer.Out, x.Out);
        Assert.Contains("cells        90", x.Out);
        Assert.Contains("metadata     labels: 3 levels", x.Out);
        Assert.Contains("metadata     percent_mito", x.Out);
    }

    [SkippableFact]
    public void NormalisedX_IsRefused_NamingTheLayerToUse()
    {
        PythonAnnData.RequireOrSkip();
        using var temp = new TempFolder();
        var input = PythonAnnData.MakeScanpyLike(temp.Path);

        AssertOneLine(RunDsl("fit", "scvi", "--counts", input, "--out", Path.Combine(temp.Path, "fit")), "normalised or log-transformed values, not counts; pass --layer NAME");
    }

    [SkippableFact]
    public void BadFiles_AreOneLineEach()
    {
        PythonAnnData.RequireOrSkip();
        using var temp = new TempFolder();
        var input = PythonAnnData.MakeScanpyLike(temp.Path);
        string Variant(string name, string edit)
        {
            var path = Path.Combine(temp.Path, name);
            File.Copy(input, path);
            PythonAnnData.Script($"import h5py, numpy as np\nf = h5py.File(\"{path}\", \"r+\")\n{edit}\nf.close()\n");
            return path;
        }
        var noX = Variant("nox.h5ad", "del f['X']");
        var version = Variant("version.h5ad", "f['layers/counts'].attrs['encoding-version'] = '0.9.0'");
        var fewerCells = Variant("fewer.h5ad", "names = f['obs/_index'][:80]\ndel f['obs/_index']\nf['obs'].create_dataset('_index', data=names)");
        var fractions = Variant("fractions.h5ad", "d = f['layers/counts/data']; d[3] = 2.5");
        var text = temp.File("text.h5ad", "cell,g1\nc1,3\n");

        AssertOneLine(RunDsl("data", "info", text), "not an HDF5 file");
        AssertOneLine(RunDsl("data", "info", noX), "the file has no X matrix; its layers are counts; pass --layer NAME");
        AssertOneLine(RunDsl("data", "info", version, "--layer", "counts"), "encoding version 0.9.0, which this dsl does not read");
        AssertOneLine(RunDsl("data", "info", input, "--layer", "raw"), "there is no layer 'raw'; its layers are counts");
        AssertOneLine(RunDsl("data", "info", fractions, "--layer", "counts", "--counts"), "holds 2.5 at cell");
        AssertOneLine(RunDsl("data", "info", fewerCells, "--layer", "counts"), "obs names 80 cells");
    }

    [Fact]
    public void Convert_ToH5adAndBack_KeepsCountsNamesAndMetadata()
    {
        using var temp = new TempFolder();
        var h5ad = Path.Combine(temp.Path, "pbmc.h5ad");
        var back = Path.Combine(temp.Path, "back");
        var metadata = Path.Combine(RepoPaths.Pbmc, "cells_metadata.csv");

        Assert.Equal(0, RunDsl("data", "convert", RepoPaths.Pbmc, h5ad, "--metadata", metadata).Exit);
        Assert.Equal(0, RunDsl("data", "convert", h5ad, back).Exit);

        var original = RunDsl("data", "info", RepoPaths.Pbmc, "--metadata", metadata).Out;
        Assert.Equal(original, RunDsl("data", "info", h5ad).Out);
        Assert.Equal(RunDsl("data", "info", RepoPaths.Pbmc).Out, RunDsl("data", "info", back).Out);
    }
}
