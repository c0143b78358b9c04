using System.Text.Json;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>Writes an scVI fit's outputs into a folder, each file atomically (see `dsl fit scvi --help`).</summary>
public static class ScviOutputWriter
{
    /// <param name="transformBatch">−1: each cell decoded with its own batch; a level: normalized.csv and imputed.csv as if every cell were in it</param>
    public static void Write(string folder, ScviInputs inputs, ScviFit fit, VariationalOptions options, int transformBatch = -1)
    {
        Directory.CreateDirectory(folder);
        var model = fit.Model;
        fit.Variational.sDecoderLevel = transformBatch;
        var estimates = ScviFitter.Estimate(model, fit.Variational);
        fit.Variational.sDecoderLevel = -1;
        var genes = inputs.Counts.GeneNames;
        WriteCells(folder, inputs, estimates, model.DimCount);
        if (estimates.Theta is { } theta) CsvTable.Write(Path.Combine(folder, "theta.csv"), "gene", ["theta"], genes, (j, _) => theta[j]);
        var history = fit.Run.History;
        var terms = fit.Variational.Terms.Select(t => t.Name).ToList();
        var columns = new List<string> { "kl_weight" };
        columns.AddRange(terms.Select(t => "train " + t));
        columns.Add("train ELBO");
        columns.AddRange(terms.Select(t => "validation " + t));
        columns.AddRange(["validation ELBO", "seconds"]);
        CsvTable.Write(Path.Combine(folder, "history.csv"), "epoch", columns, history.Select(h => h.Epoch.ToString()).ToList(), (e, c) =>
        {
            var h = history[e];
            var values = new List<double> { h.KlWeight };
            values.AddRange(h.Training);
            values.Add(h.TrainingElbo);
            values.AddRange(h.Validation);
            values.AddRange([h.ValidationElbo, h.Seconds]);
            return values[c];
        });
        ScviModelFolder.Write(Path.Combine(folder, "model"), inputs, fit);
        var summary = new
        {
            model = "scvi",
            likelihood = ScviVariants.Name(model.Likelihood),
            cells = model.CellCount,
            genes = model.GeneCount,
            batches = inputs.BatchLevels,
            transform_batch = transformBatch < 0 ? null : inputs.BatchLevels[transformBatch],
            latent = model.DimCount,
            parameters = fit.Variational.Parameters.Count,
            settings = new { epochs = options.Epochs, batch_size = options.BatchSize, learning_rate = options.LearningRate, adam_epsilon = options.AdamEpsilon,
                weight_decay = options.WeightDecay, warmup_epochs = options.WarmupEpochs, validation_fraction = options.ValidationFraction,
                patience = options.Patience, seed = options.Seed, threads = options.Threads },
            epochs = history.Count,
            stopped_early = fit.Run.StoppedEarly,
            restarts_after_nan = fit.Run.Restarts,
            final_training_elbo = history.Count > 0 ? history[^1].TrainingElbo : double.NaN,
            final_validation_elbo = history.Count > 0 ? history[^1].ValidationElbo : double.NaN,
            seconds_total = fit.Seconds,
            seconds_per_epoch = history.Count == 0 ? 0 : history.Average(h => h.Seconds),
        };
        AtomicFile.WriteText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The per-cell outputs: latent.csv, normalized.csv (ρ), imputed.csv (count means l·ρ), library.csv (E[l]).</summary>
    public static void WriteCells(string folder, ScviInputs inputs, ScviEstimates estimates, int latent)
    {
        var cells = inputs.Counts.CellNames;
        var genes = inputs.Counts.GeneNames;
        var g = genes.Count;
        CsvTable.Write(Path.Combine(folder, "latent.csv"), "cell", CsvTable.Names("z", latent), cells, (n, k) => estimates.Latent[n * latent + k]);
        CsvTable.Write(Path.Combine(folder, "normalized.csv"), "cell", genes, cells, (n, j) => estimates.Normalized[n * g + j]);
        CsvTable.Write(Path.Combine(folder, "imputed.csv"), "cell", genes, cells, (n, j) => estimates.Imputed[n * g + j]);
        CsvTable.Write(Path.Combine(folder, "library.csv"), "cell", ["library"], cells, (n, _) => estimates.Library[n]);
    }

    /// <summary>The level of --transform-batch among the batches, or −1 without it.</summary>
    public static int BatchLevel(string? name, IReadOnlyList<string> batches)
    {
        if (name is null) return -1;
        var level = batches.ToList().IndexOf(name);
        return level >= 0 ? level : throw new CliException($"--transform-batch '{name}' is not a batch of this model; its batches are {string.Join(", ", batches)}");
    }
}
