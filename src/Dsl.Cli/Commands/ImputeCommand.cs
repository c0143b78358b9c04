using System.CommandLine;
using Dsl.Cli.Scvi;

namespace Dsl.Cli.Commands;

/// <summary>`dsl impute`: a saved scVI model applied to cells (new or the training ones): latent, ρ, count means and library sizes.</summary>
public static class ImputeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var shared = new SavedModelOptions();
        var transformBatch = new Option<string?>("--transform-batch") { Description = "Write normalized.csv and imputed.csv as if every cell were in this batch." };
        var outFolder = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var dense = DenseOutputOption.Create("normalized.csv and imputed.csv");
        var command = new Command("impute", "Apply a fitted scVI model to cells (latent.csv, normalized.csv, imputed.csv, count means l·ρ, and library.csv), or a fitted gimVI model to spatial cells (spatial_imputed.csv, latent_spatial.csv).")
            { transformBatch, dense, outFolder };
        shared.AddTo(command);
        command.SetAction(r =>
        {
            if (Gimvi.GimviModelFolder.Holds(shared.ModelFolder(r)))
            {
                CliArguments.RefuseUnused(r, shared.ScviOnly.Append(transformBatch).Append(dense), "impute with a gimVI model");
                return ImputeGimvi(shared, r, r.GetValue(outFolder)!, output, error);
            }
            var loaded = shared.Load(r, error);
            loaded.Variational.sDecoderLevel = ScviOutputWriter.BatchLevel(r.GetValue(transformBatch), loaded.Saved.Batches);
            var folder = r.GetValue(outFolder)!;
            var denseOutput = DenseOutputOption.Parse(r.GetValue(dense)!);
            OutputFolder.Write(folder, "impute", f => ScviOutputWriter.WriteCells(f, loaded.Inputs, loaded.Model, loaded.Variational, denseOutput));
            output.WriteLine($"{loaded.Inputs.Counts.Cells} cells through the model in {loaded.Saved.Folder}; outputs in {Path.GetFullPath(folder)}");
            return 0;
        });
        return command;
    }

    /// <summary>New spatial cells through a saved gimVI: spatial_imputed.csv (their frequencies over every sequenced gene) and latent_spatial.csv.</summary>
    private static int ImputeGimvi(SavedModelOptions shared, ParseResult r, string folder, TextWriter output, TextWriter error)
    {
        var saved = Gimvi.GimviModelFolder.Read(shared.ModelFolder(r));
        var path = shared.CountsPath(r);
        var spatial = Gimvi.GimviModelFolder.Align(saved, CountFile.Load(path), path, error);
        (float[] Imputed, float[] Latent) result;
        try
        {
            result = saved.Impute(spatial, shared.Threads(r));
        }
        catch (ArgumentException e) { throw new CliException($"{path}: {e.Message}"); }
        OutputFolder.Write(folder, "impute", f => Gimvi.GimviFitRunner.WriteSpatial(f, saved.Genes, spatial.CellNames, result.Imputed, result.Latent, saved.Latent));
        output.WriteLine($"{spatial.Cells} spatial cells through the gimVI model in {saved.Folder}; outputs in {Path.GetFullPath(folder)}");
        return 0;
    }
}
