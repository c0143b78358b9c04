using System.Globalization;
using System.Text.Json;
using Dsl.Tests.Shared;
using Xunit;
using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Gimvi;

/// <summary>
/// `dsl simulate gimvi` and `dsl fit gimvi`: a simulated pair fitted from the command line, its outputs, resumption,
/// and one clear line for each kind of bad pair.
/// </summary>
public sealed class GimviCliTests
{
    private static (string Seq, string Spatial) SimulatedPair(TempFolder temp)
    {
        var data = Path.Combine(temp.Path, "data");
        Assert.Equal(0, RunDsl("simulate", "gimvi", "-L", "60", "-N", "50", "--seed", "2", "--out", data).Exit);
        return (Path.Combine(data, "seq.csv"), Path.Combine(data, "spatial.csv"));
    }

    [Fact]
    public void FitGimvi_WritesImputedFrequencies_Latents_HistoryAndSummary()
    {
        using var temp = new TempFolder();
        var (seq, spatial) = SimulatedPair(temp);
        var output = Path.Combine(temp.Path, "fit");
        var result = RunDsl("fit", "gimvi", "--seq", seq, "--spatial", spatial, "--epochs", "15", "--threads", "2", "--out", output);
        Assert.Equal(0, result.Exit);
        Assert.Contains("fitting gimVI (negative-binomial spatial counts): 60 sequenced cells x 50 genes, 80 spatial cells x 26 genes", result.Out);
        // 140 cells: the default averages ten seeded fits (GimviFitter.DefaultMembers), and says so.
        Assert.Contains("10 seeded fits averaged", result.Out);
        var imputed = File.ReadAllLines(Path.Combine(output, "spatial_imputed.csv"));
        Assert.Equal(81, imputed.Length);
        foreach (var line in imputed.Skip(1))
        {
            var values = line.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(50, values.Count);
            // Frequencies over every sequenced gene (a softmax in float): they sum to one up to float rounding of 50 terms.
            Assert.InRange(values.Sum(), 1 - 1e-4, 1 + 1e-4);
        }
        Assert.Equal(61, File.ReadAllLines(Path.Combine(output, "latent_seq.csv")).Length);
        Assert.Equal(81, File.ReadAllLines(Path.Combine(output, "latent_spatial.csv")).Length);
        var history = File.ReadAllLines(Path.Combine(output, "history.csv"));
        // 15 epochs of each of the ten members, each row naming its member.
        Assert.Equal(151, history.Length);
        Assert.StartsWith("epoch,member,", history[0]);
        Assert.Equal(Enumerable.Range(1, 10).SelectMany(m => Enumerable.Repeat(m.ToString(CultureInfo.InvariantCulture), 15)), history.Skip(1).Select(l => l.Split(',')[1]));
        Assert.Contains("training log p(xSpatial)", history[0]);
        Assert.Contains("training adversarial(modality)", history[0]);
        Assert.Equal(["genes.txt", "parameters.bin", "settings.json", "spatial_genes.txt"], Directory.GetFiles(Path.Combine(output, "model")).Select(Path.GetFileName).Order());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal("GimviNb", summary.RootElement.GetProperty("model").GetString());
        Assert.Equal(10, summary.RootElement.GetProperty("members").GetInt32());
        Assert.Equal(10, summary.RootElement.GetProperty("member_seeds").EnumerateArray().Select(s => s.GetUInt64()).Distinct().Count());
        // Checkpoints beside the first, one per further member, so a killed ensemble resumes where it was.
        Assert.Equal(9, Directory.GetFiles(output, "checkpoint.member*.bin").Length);

        var single = Path.Combine(temp.Path, "single");
        var one = RunDsl("fit", "gimvi", "--seq", seq, "--spatial", spatial, "--epochs", "15", "--threads", "2", "--members", "1", "--out", single);
        Assert.Equal(0, one.Exit);
        Assert.DoesNotContain("seeded fits averaged", one.Out);
        Assert.Equal(16, File.ReadAllLines(Path.Combine(single, "history.csv")).Length);
        // The first member is the single fit of the same seed: the latents reported are its own.
        Assert.Equal(File.ReadAllText(Path.Combine(single, "latent_spatial.csv")), File.ReadAllText(Path.Combine(output, "latent_spatial.csv")));
        Assert.NotEqual(File.ReadAllText(Path.Combine(single, "spatial_imputed.csv")), File.ReadAllText(Path.Combine(output, "spatial_imputed.csv")));
    }

    [Fact]
    public void FitGimvi_IsTheSameAtAnyThreadCount_AndResumesFromItsCheckpoint()
    {
        using var temp = new TempFolder();
        var (seq, spatial) = SimulatedPair(temp);
        var (one, two) = (Path.Combine(temp.Path, "one"), Path.Combine(temp.Path, "two"));
        string[] common = ["fit", "gimvi", "--seq", seq, "--spatial", spatial, "--spatial-likelihood", "poisson", "--epochs", "12", "--checkpoint-every", "0"];
        Assert.Equal(0, RunDsl([.. common, "--threads", "1", "--out", one]).Exit);
        Assert.Equal(0, RunDsl([.. common, "--threads", "2", "--out", two]).Exit);
        Assert.Equal(File.ReadAllText(Path.Combine(one, "spatial_imputed.csv")), File.ReadAllText(Path.Combine(two, "spatial_imputed.csv")));
        // Resuming the finished fit restores its parameters from the checkpoint: the same imputation, not a refit.
        var resumed = RunDsl([.. common, "--threads", "2", "--resume", "--out", two]);
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(one, "spatial_imputed.csv")), File.ReadAllText(Path.Combine(two, "spatial_imputed.csv")));
        // The negative-binomial model has a dispersion the Poisson one lacks: its checkpoint is refused, and says why.
        var other = RunDsl(["fit", "gimvi", "--seq", seq, "--spatial", spatial, "--epochs", "12", "--checkpoint-every", "0", "--resume", "--out", two]);
        Assert.Equal(1, other.Exit);
        Assert.Contains("it holds another model's parameters", other.Err);
    }

    [Fact]
    public void ImputeWithSavedGimvi_ReproducesTheFit_AndRefusesCellsMissingASpatialGene()
    {
        using var temp = new TempFolder();
        var (seq, spatial) = SimulatedPair(temp);
        var (fit, impute) = (Path.Combine(temp.Path, "fit"), Path.Combine(temp.Path, "impute"));
        Assert.Equal(0, RunDsl("fit", "gimvi", "--seq", seq, "--spatial", spatial, "--epochs", "8", "--threads", "2", "--out", fit).Exit);
        var result = RunDsl("impute", "--model", Path.Combine(fit, "model"), "--counts", spatial, "--threads", "1", "--out", impute);
        Assert.True(result.Exit == 0, result.Err);
        // The saved networks in evaluation mode at the posterior means: the fit's own imputation, byte for byte.
        Assert.Equal(File.ReadAllText(Path.Combine(fit, "spatial_imputed.csv")), File.ReadAllText(Path.Combine(impute, "spatial_imputed.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(fit, "latent_spatial.csv")), File.ReadAllText(Path.Combine(impute, "latent_spatial.csv")));
        // New cells must measure every spatial gene the encoder reads.
        var lines = File.ReadAllLines(spatial);
        var fewer = Path.Combine(temp.Path, "fewer.csv");
        File.WriteAllLines(fewer, lines.Select(l => string.Join(',', l.Split(',').SkipLast(1))));
        var refused = RunDsl("impute", "--model", Path.Combine(fit, "model"), "--counts", fewer, "--out", Path.Combine(temp.Path, "refused"));
        Assert.Equal(1, refused.Exit);
        Assert.Contains("1 of the model's spatial genes are not measured", refused.Err);
        Assert.Single(refused.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void EvalGimvi_ScoresHeldOutGenes_Mixing_AndPurity()
    {
        using var temp = new TempFolder();
        var (seq, spatial) = SimulatedPair(temp);
        var output = Path.Combine(temp.Path, "eval");
        var result = RunDsl("eval", "gimvi", "--seq", seq, "--spatial", spatial, "--epochs", "10", "--threads", "2", "--out", output);
        Assert.True(result.Exit == 0, result.Err);
        // 20 % of 26 spatial genes: 5 held out, each scored by gimVI and by the nearest-neighbour baseline.
        Assert.Contains("20 % of the spatial genes held out", result.Out);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "evaluation.json")));
        var root = report.RootElement;
        Assert.Equal(5, root.GetProperty("Genes").GetArrayLength());
        Assert.InRange(root.GetProperty("MedianSpearman").GetDouble(), -1, 1);
        Assert.True(root.GetProperty("Mixing").GetDouble() <= 0);
        Assert.InRange(root.GetProperty("SequencedPurity").GetDouble(), 0, 1);
        Assert.Equal(5, root.GetProperty("Kappa").GetDouble());
    }

    /// <summary>
    /// Real counts: pbmc_small's cells split in two halves, one sequenced over all 230 genes, the other "spatial" over the
    /// 40 genes of highest total (their real counts, unthinned). The fit runs at its defaults and imputes finite frequencies.
    /// </summary>
    [Fact]
    public void FitGimvi_OnARealPseudoSpatialPair_ImputesEverySpatialCell()
    {
        using var temp = new TempFolder();
        var counts = Runtime.Data.MatrixLoader.Load(RepoPaths.Pbmc, new Runtime.Data.ReadOptions { RequireCounts = true, Orientation = Runtime.Data.Orientation.Auto });
        var genes = Enumerable.Range(0, counts.Genes).OrderByDescending(g => Enumerable.Range(0, counts.Cells).Sum(c => counts[c, g])).Take(40).Order().ToList();
        var spatialCells = Enumerable.Range(0, counts.Cells).Where(c => c % 2 == 1).ToList();
        var (seq, spatial) = (Path.Combine(temp.Path, "seq.csv"), Path.Combine(temp.Path, "spatial.csv"));
        Runtime.Data.MatrixWriter.WriteDense(counts.SelectCells(Enumerable.Range(0, counts.Cells).Where(c => c % 2 == 0).ToList()), seq);
        Runtime.Data.MatrixWriter.WriteDense(Analysis.Gimvi.GimviInputs.SelectGenes(counts.SelectCells(spatialCells), genes), spatial);
        var output = Path.Combine(temp.Path, "fit");
        var result = RunDsl("fit", "gimvi", "--seq", seq, "--spatial", spatial, "--threads", "2", "--out", output);
        Assert.True(result.Exit == 0, result.Err);
        var imputed = File.ReadAllLines(Path.Combine(output, "spatial_imputed.csv"));
        Assert.Equal(spatialCells.Count + 1, imputed.Length);
        Assert.All(imputed.Skip(1).SelectMany(l => l.Split(',').Skip(1)), v => Assert.True(double.Parse(v, CultureInfo.InvariantCulture) is > 0 and < 1));
    }

    /// <summary>The bundled declaration through the generic `dsl fit model.cs`, its data in one JSON file (plate positions 1-based, as Stan's): both cell plates summarised.</summary>
    [Fact]
    public void GenericFitOfTheDeclaration_SummarisesBothCellPlates()
    {
        using var temp = new TempFolder();
        var pair = Analysis.Gimvi.GimviSimulator.Simulate(new Analysis.Gimvi.GimviSimulationSettings { SequencedCells = 30, SpatialCells = 40, Genes = 40, Seed = 5 }).Inputs;
        static int[][] Rows(Runtime.Data.CountMatrix m) => Enumerable.Range(0, m.Cells).Select(c => Enumerable.Range(0, m.Genes).Select(g => (int)m[c, g]).ToArray()).ToArray();
        var (logMean, logVar) = Analysis.Gimvi.GimviFitter.LibraryPriorOf(pair);
        var data = Path.Combine(temp.Path, "data.json");
        File.WriteAllText(data, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["x"] = Rows(pair.Sequenced), ["xSpatial"] = Rows(pair.Spatial), ["geneOf"] = pair.GeneOf.Select(g => g + 1).ToArray(), ["libraryLogMean"] = logMean, ["libraryLogVar"] = logVar,
            ["spatialLibrary"] = pair.SpatialLibrary(),
        }));
        var output = Path.Combine(temp.Path, "fit");
        var result = RunDsl("fit", Path.Combine(RepoPaths.Models, "Gimvi", "Gimvi.cs"), "--data", data, "--plate", "Dim=3", "--epochs", "4", "--threads", "2", "--out", output);
        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("fitting Gimvi by variational inference", result.Out);
        // 30 sequenced cells and 40 spatial cells, 3 latent dimensions each: one summary row per entry of z and of zSpatial.
        var summary = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal(90, summary.Count(l => l.StartsWith("\"z[", StringComparison.Ordinal)));
        Assert.Equal(120, summary.Count(l => l.StartsWith("\"zSpatial[", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(output, "nodes", "rhoSpatial.csv")));
    }

    /// <summary>`dsl bench gimvi` times the CLI fit under stable keys (its figures are in the README, not asserted here).</summary>
    [Fact]
    public void BenchGimvi_PrintsItsFiguresAsJson()
    {
        var result = RunDsl("bench", "gimvi", "--json", "--quiet");
        Assert.True(result.Exit == 0, result.Err);
        using var figures = JsonDocument.Parse(result.Out);
        foreach (var key in new[] { "gimvi_seconds_per_epoch", "gimvi_command_seconds", "gimvi_peak_mb", "gimvi_kappa0_seconds_per_epoch" })
            Assert.True(figures.RootElement.GetProperty(key).GetDouble() > 0, key);
    }

    /// <summary>Four sequenced cells (one empty) and three spatial ones: a tenth of each rounds to no validation cell, and the fit still writes everything.</summary>
    [Fact]
    public void FitGimvi_OnATinyPair_NotesTheEmptyCell_AndWritesANullValidationElbo()
    {
        using var temp = new TempFolder();
        var (seq, spatial) = (Path.Combine(temp.Path, "seq.csv"), Path.Combine(temp.Path, "spatial.csv"));
        File.WriteAllText(seq, "cell,a,b,c\nc1,1,2,1\nc2,0,0,0\nc3,0,5,1\nc4,2,1,3\n");
        File.WriteAllText(spatial, "cell,a,b\ns1,1,2\ns2,2,1\ns3,4,1\n");
        var output = Path.Combine(temp.Path, "fit");
        var result = RunDsl("fit", "gimvi", "--seq", seq, "--spatial", spatial, "--epochs", "3", "--out", output);
        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("1 sequenced cells have no counts (e.g. 'c2')", result.Err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("validation_elbo").ValueKind);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(output, "spatial_imputed.csv")).Length);
    }

    /// <summary>
    /// A user's round trip on the declaration itself: `dsl simulate Gimvi.cs` draws both cell plates (the decoder's
    /// weights shared between them, as declared), and `dsl fit Gimvi.cs` fits what it wrote.
    /// </summary>
    [Fact]
    public void SimulateThenFitTheDeclaration_RoundTrips()
    {
        using var temp = new TempFolder();
        var model = Path.Combine(RepoPaths.Models, "Gimvi", "Gimvi.cs");
        var data = Path.Combine(temp.Path, "given.json");
        File.WriteAllText(data, "{\"geneOf\": [2, 5, 9, 11], \"libraryLogMean\": 6.0, \"libraryLogVar\": 0.2}");
        var simulated = Path.Combine(temp.Path, "sim");
        var simulate = RunDsl("simulate", model, "--plate", "SeqCell=40", "--plate", "SpatialCell=50", "--plate", "Gene=12", "--plate", "SpatialGene=4",
            "--plate", "Dim=3", "--data", data, "--set", "spatialLibrary=100", "--set", "theta=4", "--seed", "2", "--out", simulated);
        Assert.True(simulate.Exit == 0, simulate.Err);
        using (var drawn = JsonDocument.Parse(File.ReadAllText(Path.Combine(simulated, "data.json"))))
        {
            // Every spatial cell's counts come from its renormalised frequencies: 50 rows of 4 counts.
            var spatial = drawn.RootElement.GetProperty("xSpatial");
            Assert.Equal(50, spatial.GetArrayLength());
            Assert.All(spatial.EnumerateArray(), row => Assert.Equal(4, row.GetArrayLength()));
        }
        var fitted = Path.Combine(temp.Path, "fit");
        var fit = RunDsl("fit", model, "--data", Path.Combine(simulated, "data.json"), "--plate", "Dim=3", "--epochs", "3", "--threads", "2", "--out", fitted);
        Assert.True(fit.Exit == 0, fit.Err);
        Assert.Equal(150, File.ReadAllLines(Path.Combine(fitted, "summary.csv")).Count(l => l.StartsWith("\"zSpatial[", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("cell,a,b\nc1,1,2\nc2,3,0\nc3,0,5\n", "cell,x,y\ns1,1,2\ns2,2,1\n", "share no gene")]
    [InlineData("cell,a,b\nc1,1,2\nc2,3,0\nc3,0,5\n", "cell,a,q,r\ns1,1,2,1\ns2,2,1,1\n", "2 spatial gene(s) of")]
    [InlineData("cell,a,b\nc1,1,2\nc2,3,0\nc3,0,5\n", "cell,a,b\ns1,1,2\ns2,0,0\n", "spatial cell 's2' (row 2) has zero total count")]
    [InlineData("cell,a,b\nc1,1,2.5\nc2,3,0\nc3,0,5\n", "cell,a,b\ns1,1,2\ns2,2,1\n", "2.5")]
    [InlineData("cell,a,b,a\nc1,1,2,1\nc2,3,0,1\nc3,0,5,1\n", "cell,a,b\ns1,1,2\ns2,2,1\n", "column name 'a' repeats")]
    public void FitGimvi_BadPair_IsOneClearLine(string sequenced, string spatial, string phrase)
    {
        using var temp = new TempFolder();
        var (seqPath, spatialPath) = (Path.Combine(temp.Path, "seq.csv"), Path.Combine(temp.Path, "spatial.csv"));
        File.WriteAllText(seqPath, sequenced);
        File.WriteAllText(spatialPath, spatial);
        var result = RunDsl("fit", "gimvi", "--seq", seqPath, "--spatial", spatialPath, "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, result.Exit);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(phrase, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }
}
