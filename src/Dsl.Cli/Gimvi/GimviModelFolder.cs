using System.Globalization;
using System.Text.Json;
using Dsl.Analysis.Gimvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Gimvi;

/// <summary>A fitted gimVI as saved in `model/`: what it needs to impute new spatial cells measuring the same spatial genes.</summary>
/// <param name="Members">how many seeded fits the parameters hold, one after another</param>
public sealed record GimviSavedModel(string Folder, IReadOnlyList<string> Genes, IReadOnlyList<string> SpatialGenes, SpatialLikelihood Likelihood, int Latent,
    double LibraryLogMean, double LibraryLogVar, int Members, byte[] Parameters)
{
    /// <summary>
    /// New spatial cells (their counts over <see cref="SpatialGenes"/>, in that order) through the saved encoders and
    /// decoder: their decoded frequencies over every sequenced gene, averaged over the members as the fit averaged
    /// them, and the first member's latent means.
    /// </summary>
    public (float[] Imputed, float[] Latent) Impute(CountMatrix spatial, int threads)
    {
        // The sequenced plate is empty: only the spatial part is evaluated, and the library prior is the saved one.
        var noCells = CountMatrix.FromDense(new double[0, Genes.Count], [], Genes.ToArray());
        var inputs = GimviInputs.Pair(noCells, spatial);
        return GimviFitter.ReadSpatial(SavedFamilies(inputs, threads), Members, spatial.Cells, Genes.Count, Latent);
    }

    /// <summary>The members' families in saved order, each given its parameters as it is reached.</summary>
    private IEnumerable<JointFamily<float>> SavedFamilies(GimviInputs inputs, int threads)
    {
        using var reader = new BinaryReader(new MemoryStream(Parameters));
        for (var r = 0; r < Members; r++)
        {
            var model = GimviFitter.Prepare(inputs, Likelihood, Latent, (LibraryLogMean, LibraryLogVar));
            var family = ((IJointVariationalDeclaredModel)model).CreateJointVariational(seed: 0) as JointFamily<float>
                ?? throw new InvalidOperationException("gimVI's generated family is not a JointFamily");
            family.Threads = threads;
            try
            {
                family.Parameters.Read(reader);
                family.ReadExtras(reader);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new CliException($"{Path.Combine(Folder, SavedFolder.ParametersFile)}: {e.Message}; the file does not belong to this model folder's settings");
            }
            yield return family;
        }
    }
}

/// <summary>
/// Writes and reads gimVI's `model/`: parameters.bin (the networks, dispersions and the discriminator), genes.txt
/// (the sequenced genes, the imputation's columns), spatial_genes.txt (what new spatial cells must measure) and
/// settings.json, sealed by <see cref="SavedFolder"/>.
/// </summary>
public static class GimviModelFolder
{
    private const string Kind = "dsl-gimvi-model-1";
    private static readonly string[] TextFiles = ["genes.txt", "spatial_genes.txt", "settings.json"];

    /// <param name="members">the seeded fits saved (absent in folders written before ensembles: one)</param>
    private sealed record Settings(string likelihood, int latent, double library_log_mean, double library_log_var, double kappa, string data_fingerprint, int members = 1);

    /// <summary>Whether a folder holds a saved gimVI (as opposed to a saved scVI).</summary>
    public static bool Holds(string folder) => SealedFile.KindOf(Path.Combine(folder, SavedFolder.ParametersFile)) == Kind;

    public static void Write(OutputFolder output, string subfolder, GimviInputs inputs, GimviFit fit, SpatialLikelihood likelihood)
    {
        var (logMean, logVar) = GimviFitter.LibraryPriorOf(inputs);
        var settings = new Settings(likelihood == SpatialLikelihood.Poisson ? "poisson" : "nb", fit.Latent, logMean, logVar,
            fit.First.Family.Discriminators.Select(d => d.Kappa).FirstOrDefault(), inputs.Fingerprint(), fit.Members.Count);
        SavedFolder.Write(output, subfolder, Kind,
        [
            ("genes.txt", string.Join("\n", inputs.Sequenced.GeneNames) + "\n"),
            ("spatial_genes.txt", string.Join("\n", inputs.Spatial.GeneNames) + "\n"),
            ("settings.json", JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }) + "\n"),
        ], writer =>
        {
            foreach (var member in fit.Members)
            {
                member.Family.Parameters.Write(writer);
                member.Family.WriteExtras(writer);
            }
        });
    }

    public static GimviSavedModel Read(string folder)
    {
        var parameters = SavedFolder.ReadParameters(folder, Kind, TextFiles, "dsl fit gimvi");
        var settingsPath = Path.Combine(folder, "settings.json");
        Settings settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(settingsPath)) ?? throw new JsonException("empty");
        }
        catch (JsonException e) { throw new CliException($"{settingsPath}: not valid model settings ({e.Message})"); }
        if (settings.likelihood is not ("poisson" or "nb") || settings.latent < 1 || settings.members < 1 || !double.IsFinite(settings.library_log_mean) || !(settings.library_log_var > 0))
            throw new CliException($"{settingsPath}: needs likelihood poisson or nb, a latent size and a member count of at least 1 and a finite library prior with a positive variance");
        return new GimviSavedModel(folder, SavedFolder.Lines(folder, "genes.txt"), SavedFolder.Lines(folder, "spatial_genes.txt"),
            settings.likelihood == "poisson" ? SpatialLikelihood.Poisson : SpatialLikelihood.NegativeBinomial, settings.latent,
            settings.library_log_mean, settings.library_log_var, settings.members, parameters);
    }

    /// <summary>
    /// New spatial counts in the saved spatial genes' order: every saved spatial gene must be measured (those missing are
    /// listed); genes the model did not see are left out with a note.
    /// </summary>
    public static CountMatrix Align(GimviSavedModel model, CountMatrix counts, string path, TextWriter error)
    {
        if (!counts.GeneNamesGiven) throw new CliException($"{path}: the file names no genes; gimVI matches spatial genes by name, so give it a header of gene names");
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < counts.Genes; g++) position.TryAdd(counts.GeneNames[g], g);
        var missing = model.SpatialGenes.Where(g => !position.ContainsKey(g)).ToList();
        if (missing.Count > 0)
            throw new CliException($"{path}: {missing.Count} of the model's spatial genes are not measured: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", ..." : "")}; the spatial encoder reads every one of them");
        var extra = counts.Genes - model.SpatialGenes.Count;
        if (extra > 0) error.WriteLine($"note: {extra.ToString(CultureInfo.InvariantCulture)} genes of {path} were not measured in training and are left out");
        return GimviInputs.SelectGenes(counts, model.SpatialGenes.Select(g => position[g]).ToList());
    }
}
