using System.CommandLine;
using Dsl.Cli.Scvi;
using Dsl.Models.Scvi;

namespace Dsl.Cli.Commands;

/// <summary>`dsl impute`: a saved scVI model applied to cells (new or the training ones): latent, ρ, NB means and library sizes.</summary>
public static class ImputeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var modelFolder = new Option<string>("--model") { Description = "The model/ folder written by `dsl fit scvi`.", Required = true };
        var counts = new Option<string>("--counts") { Description = "Counts of the cells: a 10x folder, CSV/TSV or Matrix Market file; genes matched to the model's by name.", Required = true };
        var metadata = new Option<string?>("--metadata") { Description = "Per-cell metadata CSV (first column the cell name)." };
        var batchKey = new Option<string?>("--batch-key") { Description = "Metadata column of each cell's batch (levels the model was trained on)." };
        var transformBatch = new Option<string?>("--transform-batch") { Description = "Write normalized.csv and imputed.csv as if every cell were in this batch." };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var outFolder = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var command = new Command("impute", "Apply a fitted scVI model to cells: latent.csv, normalized.csv, imputed.csv (NB means l·ρ) and library.csv.")
            { modelFolder, counts, metadata, batchKey, transformBatch, threads, outFolder };
        command.SetAction(r =>
        {
            var saved = ScviModelFolder.Read(r.GetValue(modelFolder)!);
            var inputs = ScviInputReader.ReadFor(saved, r.GetValue(counts)!, r.GetValue(metadata), r.GetValue(batchKey), error);
            var level = ScviOutputWriter.BatchLevel(r.GetValue(transformBatch), saved.Batches);
            var (model, variational) = Apply(saved, inputs, CliArguments.Positive(r.GetValue(threads), "--threads"), r.GetValue(counts)!);
            variational.sDecoderLevel = level;
            var folder = r.GetValue(outFolder)!;
            Directory.CreateDirectory(folder);
            ScviOutputWriter.WriteCells(folder, inputs, ScviFitter.Estimate(model, variational), saved.Latent);
            output.WriteLine($"{inputs.Counts.Cells} cells through the model in {saved.Folder}; outputs in {Path.GetFullPath(folder)}");
            return 0;
        });
        return command;
    }

    /// <summary>The saved model over these cells; data the model refuses (an empty cell) is reported against the counts file.</summary>
    public static (Models.Scvi.Scvi, Models.Scvi.Scvi.Variational<float>) Apply(ScviSavedModel saved, ScviInputs inputs, int threads, string countsPath)
    {
        try
        {
            return saved.Apply(inputs, threads);
        }
        catch (ArgumentException e) { throw new CliException($"{countsPath}: {e.Message}"); }
    }
}
