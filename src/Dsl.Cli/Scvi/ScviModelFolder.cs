using System.Text.Json;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Scvi;

/// <summary>A fitted scVI as saved in `model/`: what it needs to score new cells with the same genes and batches.</summary>
public sealed record ScviSavedModel(string Folder, IReadOnlyList<string> Genes, IReadOnlyList<string> Batches, int Latent, ScviLikelihood Likelihood,
    LibraryPrior Prior, byte[] Parameters)
{
    /// <summary>The saved networks over these cells (already aligned to <see cref="Genes"/> and coded by <see cref="Batches"/>).</summary>
    public (IScviModel Model, IScviPosterior<float> Variational) Apply(ScviInputs inputs, int threads)
    {
        var model = ScviFitter.Prepare(inputs, Latent, Prior, Likelihood);
        var variational = model.CreatePosterior(seed: 0);
        variational.Threads = threads;
        using var reader = new BinaryReader(new MemoryStream(Parameters));
        try
        {
            variational.Parameters.Read(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new CliException($"{Path.Combine(Folder, "parameters.bin")}: {e.Message}; the file does not belong to this model folder's settings");
        }
        return (model, variational);
    }
}

/// <summary>Writes and reads `model/`: parameters.bin, genes.txt, batches.txt and settings.json (latent size, likelihood, library prior).</summary>
public static class ScviModelFolder
{
    /// <param name="likelihood">absent in folders written before the option existed, which were all ZINB</param>
    private sealed record Settings(int latent, double[] library_log_mean, double[] library_log_var, string? likelihood);

    public static void Write(string folder, ScviInputs inputs, ScviFit fit)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, "parameters.bin"), stream =>
        {
            using var writer = new BinaryWriter(stream);
            fit.Variational.Parameters.Write(writer);
        });
        AtomicFile.WriteText(Path.Combine(folder, "genes.txt"), string.Join("\n", inputs.Counts.GeneNames) + "\n");
        AtomicFile.WriteText(Path.Combine(folder, "batches.txt"), string.Join("\n", inputs.BatchLevels) + "\n");
        var settings = new Settings(fit.Model.DimCount, fit.Model.libraryLogMeanValues, fit.Model.libraryLogVarValues, ScviVariants.Name(fit.Model.Likelihood));
        AtomicFile.WriteText(Path.Combine(folder, "settings.json"), JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static ScviSavedModel Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new CliException($"{folder}: no such model folder; give the model/ folder `dsl fit scvi --out DIR` wrote (DIR/model)");
        string File(string name)
        {
            var path = Path.Combine(folder, name);
            return System.IO.File.Exists(path) ? path : throw new CliException($"{path}: missing; a model folder holds parameters.bin, genes.txt, batches.txt and settings.json");
        }
        var genes = Lines(File("genes.txt"));
        var batches = Lines(File("batches.txt"));
        Settings settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(System.IO.File.ReadAllText(File("settings.json")))
                ?? throw new JsonException("empty");
        }
        catch (JsonException e) { throw new CliException($"{Path.Combine(folder, "settings.json")}: not valid model settings ({e.Message})"); }
        if (settings.library_log_mean?.Length != batches.Count || settings.library_log_var?.Length != batches.Count || settings.latent < 1)
            throw new CliException($"{Path.Combine(folder, "settings.json")}: needs latent ≥ 1 and one library prior value per batch ({batches.Count})");
        ScviLikelihood likelihood;
        try
        {
            likelihood = ScviVariants.Parse(settings.likelihood ?? ScviVariants.Name(ScviLikelihood.Zinb));
        }
        catch (ArgumentException e) { throw new CliException($"{Path.Combine(folder, "settings.json")}: {e.Message}"); }
        return new ScviSavedModel(folder, genes, batches, settings.latent, likelihood, new LibraryPrior(settings.library_log_mean, settings.library_log_var),
            System.IO.File.ReadAllBytes(File("parameters.bin")));
    }

    private static List<string> Lines(string path) => System.IO.File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
}
