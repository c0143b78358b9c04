using System.Text.Json;
using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Scvi;

/// <summary>A fitted scVI as saved in `model/`: what it needs to score new cells with the same genes and batches.</summary>
/// <param name="GenesNamed">false when the training counts named no genes (genes.txt then holds made-up names, matched by position only)</param>
/// <param name="DataFingerprint">the training data's <see cref="Runtime.Data.DataFingerprint"/></param>
public sealed record ScviSavedModel(string Folder, IReadOnlyList<string> Genes, bool GenesNamed, IReadOnlyList<string> Batches, int Latent, ScviLikelihood Likelihood,
    LibraryPrior Prior, string DataFingerprint, byte[] Parameters)
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
            throw new CliException($"{Path.Combine(Folder, ScviModelFolder.ParametersFile)}: {e.Message}; the file does not belong to this model folder's settings");
        }
        return (model, variational);
    }
}

/// <summary>
/// Writes and reads `model/`: parameters.bin, genes.txt, batches.txt and settings.json (latent size, likelihood,
/// library prior, the training data's fingerprint), sealed by <see cref="SavedFolder"/>.
/// </summary>
public static class ScviModelFolder
{
    public const string ParametersFile = SavedFolder.ParametersFile;
    private const string Kind = "dsl-scvi-model-2";
    private static readonly string[] TextFiles = ["genes.txt", "batches.txt", "settings.json"];

    /// <param name="likelihood">absent in folders written before the option existed, which were all ZINB</param>
    private sealed record Settings(int latent, double[] library_log_mean, double[] library_log_var, string? likelihood, bool? genes_named, string? data_fingerprint);

    public static void Write(OutputFolder output, string subfolder, ScviInputs inputs, ScviFit fit)
    {
        var settings = new Settings(fit.Model.GetPlateSize("Dim"), fit.Model.Read("libraryLogMean"), fit.Model.Read("libraryLogVar"), ScviVariants.Name(fit.Model.Likelihood),
            inputs.Counts.GeneNamesGiven, inputs.Fingerprint());
        SavedFolder.Write(output, subfolder, Kind,
        [
            ("genes.txt", string.Join("\n", inputs.Counts.GeneNames) + "\n"),
            ("batches.txt", string.Join("\n", inputs.BatchLevels) + "\n"),
            ("settings.json", JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }) + "\n"),
        ], fit.Variational.Parameters.Write);
    }

    public static ScviSavedModel Read(string folder)
    {
        var parameters = SavedFolder.ReadParameters(folder, Kind, TextFiles, "dsl fit scvi");
        var genes = SavedFolder.Lines(folder, "genes.txt");
        var batches = SavedFolder.Lines(folder, "batches.txt");
        Settings settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(System.IO.File.ReadAllText(Path.Combine(folder, "settings.json")))
                ?? throw new JsonException("empty");
        }
        catch (JsonException e) { throw new CliException($"{Path.Combine(folder, "settings.json")}: not valid model settings ({e.Message})"); }
        if (settings.library_log_mean?.Length != batches.Count || settings.library_log_var?.Length != batches.Count || settings.latent < 1 || settings.latent > ScviFitter.MaxLatent)
            throw new CliException($"{Path.Combine(folder, "settings.json")}: needs a latent size in 1..{ScviFitter.MaxLatent} and one library prior value per batch ({batches.Count})");
        ScviLikelihood likelihood;
        try
        {
            likelihood = ScviVariants.Parse(settings.likelihood ?? ScviVariants.Name(ScviLikelihood.Zinb));
        }
        catch (ArgumentException e) { throw new CliException($"{Path.Combine(folder, "settings.json")}: {e.Message}"); }
        return new ScviSavedModel(folder, genes, settings.genes_named ?? true, batches, settings.latent, likelihood,
            new LibraryPrior(settings.library_log_mean, settings.library_log_var), settings.data_fingerprint ?? "", parameters);
    }
}
