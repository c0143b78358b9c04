using System.Security.Cryptography;
using System.Text.Json;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;

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
/// library prior, the training data's fingerprint). parameters.bin is a <see cref="SealedFile"/> that also holds the
/// SHA-256 of each text file, so a damaged or edited file anywhere in the folder is refused, naming it.
/// </summary>
public static class ScviModelFolder
{
    public const string ParametersFile = "parameters.bin";
    private const string Kind = "dsl-scvi-model-2";
    private static readonly string[] TextFiles = ["genes.txt", "batches.txt", "settings.json"];

    /// <param name="likelihood">absent in folders written before the option existed, which were all ZINB</param>
    private sealed record Settings(int latent, double[] library_log_mean, double[] library_log_var, string? likelihood, bool? genes_named, string? data_fingerprint);

    public static void Write(OutputFolder output, string subfolder, ScviInputs inputs, ScviFit fit)
    {
        var settings = new Settings(fit.Model.DimCount, fit.Model.libraryLogMeanValues, fit.Model.libraryLogVarValues, ScviVariants.Name(fit.Model.Likelihood),
            inputs.Counts.GeneNamesGiven, inputs.Fingerprint());
        var texts = new Dictionary<string, string>
        {
            ["genes.txt"] = string.Join("\n", inputs.Counts.GeneNames) + "\n",
            ["batches.txt"] = string.Join("\n", inputs.BatchLevels) + "\n",
            ["settings.json"] = JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }) + "\n",
        };
        foreach (var (name, text) in texts) AtomicFile.WriteText(output.File(Path.Combine(subfolder, name)), text);
        SealedFile.Write(output.File(Path.Combine(subfolder, ParametersFile)), Kind, writer =>
        {
            foreach (var name in TextFiles) writer.Write(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(texts[name])));
            fit.Variational.Parameters.Write(writer);
        });
    }

    public static ScviSavedModel Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new CliException($"{folder}: no such model folder; give the model/ folder `dsl fit scvi --out DIR` wrote (DIR/model)");
        string File(string name)
        {
            var path = Path.Combine(folder, name);
            return System.IO.File.Exists(path) ? path : throw new CliException($"{path}: missing; a model folder holds parameters.bin, genes.txt, batches.txt and settings.json");
        }
        foreach (var name in TextFiles) File(name);
        var parametersPath = File(ParametersFile);
        byte[] parameters;
        try
        {
            parameters = SealedFile.Read(parametersPath, Kind, reader =>
            {
                foreach (var name in TextFiles)
                    if (!reader.ReadBytes(32).AsSpan().SequenceEqual(SHA256.HashData(System.IO.File.ReadAllBytes(Path.Combine(folder, name)))))
                        throw new CliException($"{Path.Combine(folder, name)}: it was changed after the model was saved (its checksum differs from the one in {ParametersFile}); restore it or refit");
                return reader.ReadBytes((int)(reader.BaseStream.Length - reader.BaseStream.Position));
            });
        }
        catch (InvalidDataException e) { throw new CliException(e.Message); }

        var genes = Lines(File("genes.txt"));
        var batches = Lines(File("batches.txt"));
        Settings settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(System.IO.File.ReadAllText(File("settings.json")))
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

    private static List<string> Lines(string path)
    {
        var lines = System.IO.File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        return lines.Count > 0 ? lines : throw new CliException($"{path}: the file is empty; a model folder lists one name per line (refit to write it again)");
    }
}
