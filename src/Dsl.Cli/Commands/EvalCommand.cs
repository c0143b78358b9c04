using System.CommandLine;
using System.Text.Json;
using Dsl.Analysis.Scvi;
using Dsl.Cli.Progress;
using Dsl.Cli.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Commands;

/// <summary>`dsl eval scvi|deepmc`: scVI's benchmark (Methods 4.7) or deepMc's protocol on one data set, printed and written as evaluation.json.</summary>
public static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "scvi, deepmc or gimvi." };
        var counts = new Option<string?>("--counts") { Description = "scvi and deepmc: counts, a 10x folder, CSV/TSV (rows cells, columns genes) or Matrix Market file." };
        var layer = LayerOption.Create();
        var metadata = new Option<string?>("--metadata") { Description = "Per-cell metadata CSV (first column the cell name)." };
        var batchKey = new Option<string?>("--batch-key") { Description = "Metadata column holding each cell's batch." };
        var labelsKey = new Option<string?>("--labels-key") { Description = "Metadata column of reference cell types: silhouette, ARI and NMI of the latent." };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of each fit.", DefaultValueFactory = _ => 400 };
        var latent = new Option<int>("--latent") { Description = "Latent dimensions.", DefaultValueFactory = _ => ScviFitter.DefaultLatent };
        var likelihood = LikelihoodOption.Create("Each fit's ");
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of cells held out for the marginal log-likelihood.", DefaultValueFactory = _ => 0.1 };
        var samples = new Option<int>("--samples") { Description = "Importance samples per held-out cell.", DefaultValueFactory = _ => 100 };
        var starts = new Option<int>("--kmeans-starts") { Description = "Random starts of k-means on the latent.", DefaultValueFactory = _ => 200 };
        var noImputation = new Option<bool>("--no-imputation") { Description = "Skip the two imputation benchmarks (each a further fit)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var outFolder = new Option<string?>("--out") { Description = "Folder for evaluation.json." };
        var layers = new Option<string>("--layers") { Description = "deepmc: the depths to score side by side, comma-separated.", DefaultValueFactory = _ => "1,2,3" };
        var pair = new Option<string?>("--pair") { Description = "deepmc: the two labels whose cell-type separability is scored, A,B (default: the two largest groups)." };
        var genes = new Option<int>("--genes") { Description = "deepmc: genes of highest dispersion kept by the preprocessing.", DefaultValueFactory = _ => 1000 };
        var noPreprocess = new Option<bool>("--no-preprocess") { Description = "deepmc: score the values as given (no filtering, scaling or log2(1 + x); no scVI baseline)." };
        var noScvi = new Option<bool>("--no-scvi") { Description = "deepmc: skip the scVI imputation baseline (a further fit)." };
        var sequenced = new Option<string?>("--seq") { Description = "gimvi: the scRNA-seq counts, genes named." };
        var spatial = new Option<string?>("--spatial") { Description = "gimvi: the spatial counts, over a subset of the sequenced genes." };
        var spatialLikelihood = new Option<string>("--spatial-likelihood") { Description = "gimvi: nb or poisson.", DefaultValueFactory = _ => "nb" };
        spatialLikelihood.AcceptOnlyFromAmong("nb", "poisson");
        var kappa = new Option<double?>("--kappa") { Description = "gimvi: the adversarial penalty's weight (default the declaration's, 5)." };
        var members = new Option<int?>("--members") { Description = "gimvi: how many independently seeded fits to train and average (default: 1 for pairs of 4,000 cells or more; below that, as many as fit in the cell passes of one 4,000-cell fit, at most 10: a small pair's imputation varies with the seed)." };
        var heldOut = new Option<double>("--held-out") { Description = "gimvi: the share of spatial genes held out and imputed.", DefaultValueFactory = _ => 0.2 };
        var noPurity = new Option<bool>("--no-purity") { Description = "gimvi: skip the k-NN purity (two further scVI fits, one per set)." };
        var command = new Command("eval", "Score scVI on a data set: held-out log-likelihood by importance sampling, imputation under the paper's two " +
            "corruptions, clustering of the latent against labels, batch mixing.")
            { model, counts, layer, metadata, batchKey, labelsKey, epochs, latent, likelihood, testFraction, samples, starts, noImputation, seed, threads, outFolder,
              layers, pair, genes, noPreprocess, noScvi, sequenced, spatial, spatialLikelihood, kappa, members, heldOut, noPurity };
        var progress = new ProgressOptions();
        progress.AddTo(command);
        var gimviOnly = new Option[] { sequenced, spatial, spatialLikelihood, kappa, members, heldOut, noPurity };
        command.SetAction(r =>
        {
            if (r.GetValue(model) == "gimvi")
            {
                CliArguments.RefuseUnused(r, [counts, layer, metadata, batchKey, labelsKey, likelihood, testFraction, samples, starts, noImputation, layers, pair, genes, noPreprocess, noScvi], "eval gimvi");
                var gimviOptions = new VariationalOptions
                {
                    Epochs = r.GetResult(epochs) is null or { Implicit: true } ? Gimvi.GimviFitRunner.DefaultEpochs : CliArguments.Positive(r.GetValue(epochs), "--epochs"),
                    Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads"),
                };
                var request = new Gimvi.GimviRequest(r.GetValue(sequenced), r.GetValue(spatial),
                    r.GetValue(spatialLikelihood) == "poisson" ? Analysis.Gimvi.SpatialLikelihood.Poisson : Analysis.Gimvi.SpatialLikelihood.NegativeBinomial,
                    CliArguments.InRange(r.GetValue(latent), 1, ScviFitter.MaxLatent, "--latent"),
                    r.GetValue(kappa) is { } weight ? (weight >= 0 && double.IsFinite(weight) ? weight : throw new CliException($"--kappa must be 0 or more, not {weight}")) : null, false, false,
                    r.GetValue(members) is { } count ? CliArguments.Positive(count, "--members") : null);
                var gimviSettings = new Analysis.Gimvi.GimviEvaluationSettings
                {
                    HeldOutShare = CliArguments.Fraction(r.GetValue(heldOut), "--held-out"), Purity = !r.GetValue(noPurity), Seed = r.GetValue(seed),
                };
                return Gimvi.GimviEvaluationRunner.Run(request, gimviOptions, gimviSettings, r.GetValue(outFolder), output, error, progress.Mode(r, error));
            }
            CliArguments.RefuseUnused(r, gimviOnly, $"eval {r.GetValue(model)}");
            if (r.GetValue(counts) is null) throw new CliException($"eval {r.GetValue(model)} needs --counts");
            if (r.GetValue(model) == "deepmc")
            {
                CliArguments.RefuseUnused(r, [batchKey, latent, likelihood, testFraction, samples, noImputation], "eval deepmc");
                var deepMcSettings = new Analysis.DeepMc.DeepMcEvaluationSettings
                {
                    Layers = r.GetValue(layers)!.Split(',').Select(t => int.TryParse(t.Trim(), out var l) && l is >= 1 and <= 3 ? l
                        : throw new CliException($"--layers {r.GetValue(layers)}: each depth must be 1, 2 or 3")).Distinct().ToList(),
                    Pair = r.GetValue(pair) is { } text ? text.Split(',') is [var a, var b] ? (a.Trim(), b.Trim()) : throw new CliException($"--pair {text}: give two labels, A,B") : null,
                    KMeansStarts = r.GetResult(starts) is null or { Implicit: true } ? 20 : CliArguments.Positive(r.GetValue(starts), "--kmeans-starts"),
                    Scvi = !r.GetValue(noScvi), ScviEpochs = CliArguments.Positive(r.GetValue(epochs), "--epochs"), Seed = r.GetValue(seed),
                };
                var labelColumn = r.GetValue(labelsKey) ?? throw new CliException("eval deepmc needs --labels-key, the metadata column of cell types (with --metadata, or an .h5ad's obs)");
                return DeepMc.DeepMcEvaluationRunner.Run(new DeepMc.DeepMcEvaluationRequest(r.GetValue(counts)!, r.GetValue(layer), r.GetValue(metadata), labelColumn,
                    r.GetValue(genes), !r.GetValue(noPreprocess), deepMcSettings,
                    new Runtime.Optimisation.PointEstimationOptions { Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads") }, r.GetValue(outFolder)), output, error);
            }
            CliArguments.RefuseUnused(r, [layers, pair, genes, noPreprocess, noScvi], "eval scvi");
            if (r.GetValue(model) != "scvi") throw new CliException($"unknown model '{r.GetValue(model)}' for eval; use scvi, deepmc or gimvi");
            var inputs = ScviInputReader.Read(r.GetValue(counts)!, r.GetValue(metadata), r.GetValue(batchKey), r.GetValue(layer));
            var labels = r.GetValue(labelsKey) is { } key ? ScviInputReader.Column(r.GetValue(metadata), key, inputs.Counts, "--labels-key").Codes : null;
            var options = new VariationalOptions
            {
                Epochs = CliArguments.Positive(r.GetValue(epochs), "--epochs"), Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads"),
            };
            var settings = new ScviEvaluationSettings
            {
                TestFraction = CliArguments.Fraction(r.GetValue(testFraction), "--test-fraction"), ImportanceSamples = CliArguments.Positive(r.GetValue(samples), "--samples"),
                KMeansStarts = CliArguments.Positive(r.GetValue(starts), "--kmeans-starts"), Imputation = !r.GetValue(noImputation),
            };
            ScviEvaluationReport report;
            try
            {
                using var line = new ProgressLine(progress.Mode(r, error), error, "epoch", options.Epochs);
                report = ScviEvaluation.Run(inputs, labels, options, settings, line.Note, new EpochReporter(line),
                    CliArguments.InRange(r.GetValue(latent), 1, ScviFitter.MaxLatent, "--latent"), ScviVariants.Parse(r.GetValue(likelihood)!));
            }
            catch (ArgumentException e) { throw new CliException($"{r.GetValue(counts)}: {e.Message}"); }
            Print(report, output);
            if (r.GetValue(outFolder) is { } folder) output.WriteLine($"wrote {WriteJson(report, folder)}");
            return 0;
        });
        return command;
    }

    /// <summary>Writes folder/evaluation.json atomically; returns its full path.</summary>
    public static string WriteJson(ScviEvaluationReport report, string folder)
    {
        var path = "";
        OutputFolder.Write(folder, "eval", f =>
        {
            path = Path.GetFullPath(f.File("evaluation.json"));
            AtomicFile.WriteText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        });
        return path;
    }

    public static void Print(ScviEvaluationReport report, TextWriter output)
    {
        output.WriteLine($"held-out cells: {report.TestCells} (trained on {report.TrainingCells}, {report.Epochs} epochs)");
        output.WriteLine($"  marginal log-likelihood per cell: {report.HeldOutLogLikelihood:F2} (importance sampling); one-draw ELBO {report.HeldOutElbo:F2}");
        if (report.Clustering is { } c)
            output.WriteLine($"  latent vs {c.Labels} labels: silhouette {c.Silhouette:F3}, k-means ARI {c.AdjustedRandIndex:F3}, NMI {c.NormalizedMutualInformation:F3}");
        if (report.BatchMixingEntropy is { } mixing)
            output.WriteLine($"  entropy of batch mixing (50 neighbours): {mixing:F3}");
        foreach (var score in report.Imputation)
            output.WriteLine($"  imputation, {score.Corruption} ({score.Entries} entries): median L1 {score.MedianL1:F3} (gene means: {score.GeneMeanMedianL1:F3})");
        output.WriteLine($"  {report.Seconds:F1} s");
    }
}
