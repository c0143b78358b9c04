using System.Text.Json;
using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>Writes an scVI fit's outputs into a folder, each file atomically and streamed (see `dsl fit scvi --help`).</summary>
public static class ScviOutputWriter
{
    /// <param name="transformBatch">−1: each cell decoded with its own batch; a level: normalized.csv and imputed.csv as if every cell were in it</param>
    public static void Write(OutputFolder folder, ScviInputs inputs, ScviFit fit, VariationalOptions options, DenseOutput dense, int transformBatch = -1)
    {
        var model = fit.Model;
        fit.Variational.sDecoderLevel = transformBatch;
        WriteCells(folder, inputs, model, fit.Variational, dense);
        fit.Variational.sDecoderLevel = -1;
        var genes = inputs.Counts.GeneNames;
        if (ScviFitter.Theta(model, fit.Variational) is { } theta) CsvTable.Write(folder.File("theta.csv"), "gene", ["theta"], genes, (j, _) => theta[j]);
        var history = fit.Run.History;
        var terms = fit.Variational.Terms.Select(t => t.Name).ToList();
        var columns = new List<string> { "kl_weight" };
        columns.AddRange(terms.Select(t => "train " + t));
        columns.Add("train ELBO");
        columns.AddRange(terms.Select(t => "validation " + t));
        columns.AddRange(["validation ELBO", "seconds"]);
        CsvTable.Write(folder.File("history.csv"), "epoch", columns, history.Select(h => h.Epoch.ToString()).ToList(), (e, c) =>
        {
            var h = history[e];
            var values = new List<double> { h.KlWeight };
            values.AddRange(h.Training);
            values.Add(h.TrainingElbo);
            values.AddRange(h.Validation);
            values.AddRange([h.ValidationElbo, h.Seconds]);
            return values[c];
        });
        WriteCellTable(folder.File("cells.csv"), inputs);
        ScviModelFolder.Write(folder, "model", inputs, fit);
        var summary = new
        {
            model = "scvi",
            likelihood = ScviVariants.Name(model.Likelihood),
            cells = model.GetPlateSize("Cell"),
            genes = model.GetPlateSize("Gene"),
            batches = inputs.BatchLevels,
            transform_batch = transformBatch < 0 ? null : inputs.BatchLevels[transformBatch],
            latent = model.GetPlateSize("Dim"),
            parameters = fit.Variational.Parameters.Count,
            data_fingerprint = inputs.Fingerprint(),
            dense_outputs = dense.ToString().ToLowerInvariant(),
            settings = new { epochs = options.Epochs, batch_size = options.BatchSize, learning_rate = options.LearningRate, adam_epsilon = options.AdamEpsilon,
                weight_decay = options.WeightDecay, warmup_epochs = options.WarmupEpochs, validation_fraction = options.ValidationFraction,
                patience = options.Patience, seed = options.Seed, threads = options.Threads },
            epochs = history.Count,
            stopped_early = fit.Run.StoppedEarly,
            restarts_after_nan = fit.Run.Restarts,
            final_training_elbo = history.Count > 0 ? Finite(history[^1].TrainingElbo) : null,
            // null where nothing was held out for validation (JSON has no NaN)
            final_validation_elbo = history.Count > 0 ? Finite(history[^1].ValidationElbo) : null,
            seconds_total = fit.Seconds,
            seconds_per_epoch = history.Count == 0 ? 0 : history.Average(h => h.Seconds),
        };
        AtomicFile.WriteText(folder.File("summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>
    /// The per-cell outputs: latent.csv, library.csv (E[l]), and, unless <paramref name="dense"/> is none,
    /// normalized.csv (ρ) and imputed.csv (count means l·ρ), both streamed from one pass of the networks over blocks of
    /// cells, so memory does not grow with cells x genes.
    /// </summary>
    public static void WriteCells(OutputFolder folder, ScviInputs inputs, IScviModel model, IScviPosterior<float> variational, DenseOutput dense)
    {
        var cells = inputs.Counts.CellNames;
        var genes = inputs.Counts.GeneNames;
        var g = genes.Count;
        float[] latent, library;
        if (dense == DenseOutput.None)
        {
            (latent, library) = ScviFitter.EstimateInBlocks(model, variational, (_, _, _) => { });
        }
        else
        {
            var gzip = dense == DenseOutput.Gzip;
            using var normalizedFile = AtomicFile.Open(folder.File(DenseOutputOption.FileName("normalized", dense)));
            using var imputedFile = AtomicFile.Open(folder.File(DenseOutputOption.FileName("imputed", dense)));
            using (var normalized = new CsvTable(normalizedFile.Stream, "cell", genes, gzip))
            using (var imputed = new CsvTable(imputedFile.Stream, "cell", genes, gzip))
            {
                (latent, library) = ScviFitter.EstimateInBlocks(model, variational, (start, rows, block) =>
                {
                    for (var r = 0; r < rows; r++)
                    {
                        normalized.Row(cells[start + r], block.rhoOutput.Slice(r * g, g));
                        imputed.Row(cells[start + r], block.CountMean.Slice(r * g, g));
                    }
                });
            }
            normalizedFile.Commit();
            imputedFile.Commit();
        }
        var d = model.GetPlateSize("Dim");
        CsvTable.Write(folder.File("latent.csv"), "cell", CsvTable.Names("z", d), cells, (n, k) => latent[n * d + k]);
        CsvTable.Write(folder.File("library.csv"), "cell", ["library"], cells, (n, _) => library[n]);
    }

    /// <summary>cells.csv: each cell's batch, observed total count and metadata columns (the report colours by them).</summary>
    private static void WriteCellTable(string path, ScviInputs inputs)
    {
        var counts = inputs.Counts;
        var columns = counts.Metadata.ColumnNames.Where(c => c is not ("batch" or "total_counts")).ToList();
        var text = new System.Text.StringBuilder();
        text.Append(string.Join(",", new[] { "cell", "batch", "total_counts" }.Concat(columns).Select(CsvTable.Quote))).Append('\n');
        for (var c = 0; c < counts.Cells; c++)
        {
            text.Append(CsvTable.Quote(counts.CellNames[c])).Append(',').Append(CsvTable.Quote(inputs.BatchLevels[inputs.Batch[c]]))
                .Append(',').Append(counts.RowTotal(c).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            foreach (var column in columns) text.Append(',').Append(CsvTable.Quote(counts.Metadata[column][c]));
            text.Append('\n');
        }
        AtomicFile.WriteText(path, text.ToString());
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>The level of --transform-batch among the batches, or −1 without it.</summary>
    public static int BatchLevel(string? name, IReadOnlyList<string> batches)
    {
        if (name is null) return -1;
        var level = batches.ToList().IndexOf(name);
        return level >= 0 ? level : throw new CliException($"--transform-batch '{name}' is not a batch of this model; its batches are {string.Join(", ", batches)}");
    }
}
