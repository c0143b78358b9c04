using System.Text.Json;
using Dsl.Cli.Ursm;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>Writes an scVI fit's outputs into a folder, each file atomically (see `dsl fit scvi --help`).</summary>
public static class ScviOutputWriter
{
    public static void Write(string folder, ScviInputs inputs, ScviFit fit, VariationalOptions options)
    {
        Directory.CreateDirectory(folder);
        var model = fit.Model;
        var estimates = ScviFitter.Estimate(model, fit.Variational);
        var cells = inputs.Counts.CellNames;
        var genes = inputs.Counts.GeneNames;
        int g = model.GeneCount, d = model.DimCount;
        CsvTable.Write(Path.Combine(folder, "latent.csv"), "cell", CsvTable.Names("z", d), cells, (n, k) => estimates.Latent[n * d + k]);
        CsvTable.Write(Path.Combine(folder, "normalized.csv"), "cell", genes, cells, (n, j) => estimates.Normalized[n * g + j]);
        CsvTable.Write(Path.Combine(folder, "imputed.csv"), "cell", genes, cells, (n, j) => estimates.Imputed[n * g + j]);
        CsvTable.Write(Path.Combine(folder, "library.csv"), "cell", ["library"], cells, (n, _) => estimates.Library[n]);
        CsvTable.Write(Path.Combine(folder, "theta.csv"), "gene", ["theta"], genes, (j, _) => estimates.Theta[j]);
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
        WriteModel(Path.Combine(folder, "model"), inputs, fit);
        var summary = new
        {
            model = "scvi",
            cells = model.CellCount,
            genes = g,
            batches = inputs.BatchLevels,
            latent = d,
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

    /// <summary>The fitted parameters with the gene and batch order they belong to, so the model can be reloaded.</summary>
    private static void WriteModel(string folder, ScviInputs inputs, ScviFit fit)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, "parameters.bin"), stream =>
        {
            using var writer = new BinaryWriter(stream);
            fit.Variational.Parameters.Write(writer);
        });
        AtomicFile.WriteText(Path.Combine(folder, "genes.txt"), string.Join("\n", inputs.Counts.GeneNames) + "\n");
        AtomicFile.WriteText(Path.Combine(folder, "batches.txt"), string.Join("\n", inputs.BatchLevels) + "\n");
        AtomicFile.WriteText(Path.Combine(folder, "settings.txt"), $"latent={fit.Model.DimCount}\n");
    }
}
