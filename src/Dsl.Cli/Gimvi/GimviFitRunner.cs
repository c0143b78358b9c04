using System.Globalization;
using System.Text.Json;
using Dsl.Analysis.Gimvi;
using Dsl.Cli.Progress;
using Dsl.Cli.Scvi;
using Dsl.Models.Gimvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Gimvi;

/// <summary>What `dsl fit gimvi` was asked for, besides the training settings.</summary>
/// <param name="Kappa">--kappa: the adversarial penalty's weight for this fit; null for the declaration's</param>
public sealed record GimviRequest(string? Sequenced, string? Spatial, SpatialLikelihood Likelihood, int Latent, double? Kappa, bool Resume, bool Force);

/// <summary>
/// `dsl fit gimvi`: a sequencing and a spatial count matrix paired by gene name, the bundled gimVI declaration (or its
/// negative-binomial variant) trained jointly, then spatial_imputed.csv, the two latent tables, history.csv with every
/// ELBO term, summary.json and model/ (for `dsl impute` on new spatial cells).
/// </summary>
public static class GimviFitRunner
{
    public const int DefaultEpochs = 200;

    public static int Run(GimviRequest request, VariationalOptions options, OutputFolder folder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var inputs = Read(request);
        // κ changes the objective: a checkpoint written at another one is another fit's.
        var checkpoint = new CheckpointPlan(folder.File("checkpoint.bin"), request.Resume, $"{inputs.Fingerprint()};kappa={request.Kappa?.ToString("R", CultureInfo.InvariantCulture) ?? "declared"}", request.Force);
        output.WriteLine($"fitting gimVI ({(request.Likelihood == SpatialLikelihood.Poisson ? "Poisson" : "negative-binomial")} spatial counts): {inputs.Sequenced.Cells} sequenced cells x " +
            $"{inputs.Sequenced.Genes} genes, {inputs.Spatial.Cells} spatial cells x {inputs.Spatial.Genes} genes; checkpoint {checkpoint.Path}");
        GimviFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, "epoch", options.Epochs);
            fit = GimviFitter.Fit(inputs, request.Likelihood, options, request.Latent, checkpoint, new EpochReporter(line), line.Note, request.Kappa);
        }
        catch (ArgumentException e) { throw new CliException(e.Message); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        Write(folder, request, inputs, fit, options);
        folder.Commit();
        output.WriteLine($"{fit.Run.History.Count} epochs, {fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }

    /// <summary>Both matrices read (raw integer counts) and paired by gene name; a bad pair is one line.</summary>
    public static GimviInputs Read(GimviRequest request)
    {
        var sequencedPath = request.Sequenced ?? throw new CliException("fit gimvi needs --seq, the scRNA-seq counts (10x folder, .h5ad, CSV/TSV with cells as rows, Matrix Market)");
        var spatialPath = request.Spatial ?? throw new CliException("fit gimvi needs --spatial, the spatial counts over a subset of the sequenced genes");
        try
        {
            return GimviInputs.Pair(CountFile.Load(sequencedPath), CountFile.Load(spatialPath), sequencedPath, spatialPath);
        }
        catch (ArgumentException e) { throw new CliException(e.Message); }
    }

    private static void Write(OutputFolder folder, GimviRequest request, GimviInputs inputs, GimviFit fit, VariationalOptions options)
    {
        var (sequenced, spatial) = (inputs.Sequenced, inputs.Spatial);
        WriteSpatial(folder, sequenced.GeneNames, spatial.CellNames, fit.SpatialImputed, fit.SpatialLatent, fit.Latent);
        WriteRows(folder.File("latent_seq.csv"), "cell", Enumerable.Range(1, fit.Latent).Select(d => $"z{d}").ToList(), sequenced.CellNames, fit.SequencedLatent);
        var terms = fit.Family.Terms.Select(t => t.Name).ToList();
        var columns = terms.Select(t => $"training {t}").Concat(terms.Select(t => $"validation {t}")).Concat(["training_elbo", "validation_elbo", "kl_weight", "seconds"]).ToList();
        var history = fit.Run.History;
        CsvTable.Write(folder.File("history.csv"), "epoch", columns, history.Select(h => h.Epoch.ToString(CultureInfo.InvariantCulture)).ToList(), (r, c) =>
        {
            var h = history[r];
            return c < terms.Count ? h.Training[c]
                : c < 2 * terms.Count ? (h.Validation.Length > 0 ? h.Validation[c - terms.Count] : double.NaN)
                : (c - 2 * terms.Count) switch { 0 => h.TrainingElbo, 1 => h.ValidationElbo, 2 => h.KlWeight, _ => h.Seconds };
        });
        var summary = new
        {
            model = request.Likelihood == SpatialLikelihood.Poisson ? "Gimvi" : "GimviNb",
            engine = "variational inference (joint minibatches of both cell plates)",
            sequenced = Path.GetFullPath(request.Sequenced!),
            spatial = Path.GetFullPath(request.Spatial!),
            data_fingerprint = inputs.Fingerprint(),
            sequenced_cells = sequenced.Cells,
            genes = sequenced.Genes,
            spatial_cells = spatial.Cells,
            spatial_genes = spatial.Genes,
            latent = fit.Latent,
            kappa = fit.Family.Discriminators.Select(d => d.Kappa).FirstOrDefault(),
            spatial_imputed = "each spatial cell's decoded frequencies over all sequenced genes (rho, normalised over every gene), at the posterior mean of its latent",
            epochs = history.Count,
            settings = new { options.Epochs, options.BatchSize, options.LearningRate, options.WarmupEpochs, options.ValidationFraction, options.Seed, options.Threads },
            training_elbo = history.Count == 0 ? null : Finite(history[^1].TrainingElbo),
            // null when no cell was held out (a set too small for a tenth of it to round to one cell)
            validation_elbo = history.Count == 0 ? null : Finite(history[^1].ValidationElbo),
            seconds_per_epoch = history.Count == 0 ? (double?)null : history.Average(h => h.Seconds),
            seconds_total = fit.Seconds,
        };
        AtomicFile.WriteText(folder.File("summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        GimviModelFolder.Write(folder, "model", inputs, fit, request.Likelihood);
    }

    /// <summary>A spatial cells x sequenced genes table and the cells' latent means, as `dsl fit gimvi` and `dsl impute` write them.</summary>
    public static void WriteSpatial(OutputFolder folder, IReadOnlyList<string> genes, IReadOnlyList<string> cells, float[] imputed, float[] latent, int dimensions)
    {
        WriteRows(folder.File("spatial_imputed.csv"), "cell", genes, cells, imputed);
        WriteRows(folder.File("latent_spatial.csv"), "cell", Enumerable.Range(1, dimensions).Select(d => $"z{d}").ToList(), cells, latent);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>A rows x columns float table streamed to an atomically committed CSV.</summary>
    private static void WriteRows(string path, string corner, IReadOnlyList<string> columns, IReadOnlyList<string> rows, float[] values)
    {
        using var pending = AtomicFile.Open(path);
        using (var table = new CsvTable(pending.Stream, corner, columns))
            for (var r = 0; r < rows.Count; r++) table.Row(rows[r], values.AsSpan(r * columns.Count, columns.Count));
        pending.Commit();
    }
}
