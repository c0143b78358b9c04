namespace Dsl.Tests.Shared;

/// <summary>Locations in the repository, found from the test assembly by walking up to Dsl.sln.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    /// <summary>The real data bundled with the tool (data/pbmc_small).</summary>
    public static string Pbmc => Path.Combine(Root, "data", "pbmc_small");

    public static string Models => Path.Combine(Root, "models", "Dsl.Models");

    /// <summary>Reference posteriors (posteriordb's data and reference summaries), tests/fixtures/posteriordb/&lt;folder&gt;.</summary>
    public static string PosteriordbFixture(string folder) => Path.Combine(Fixtures, "posteriordb", folder);

    /// <summary>The declaration of a posteriordb posterior, tests/posteriordb/&lt;folder&gt;.cs.</summary>
    public static string PosteriordbModel(string folder) => Path.Combine(Root, "tests", "posteriordb", folder + ".cs");

    /// <summary>Textbook declarations the sampling engine is checked on (tests/declarations/Textbook.cs).</summary>
    public static string Textbook => Path.Combine(Root, "tests", "declarations", "Textbook.cs");

    /// <summary>Models every latent of which has an exact conjugate update (tests/declarations/Conjugate.cs).</summary>
    public static string Conjugate => Path.Combine(Root, "tests", "declarations", "Conjugate.cs");

    /// <summary>Everyday variants of the bundled models (tests/declarations/Variants.cs).</summary>
    public static string Variants => Path.Combine(Root, "tests", "declarations", "Variants.cs");

    /// <summary>Variants of URSM that extend the bundled file (tests/declarations/UrsmVariants.cs).</summary>
    public static string UrsmVariants => Path.Combine(Root, "tests", "declarations", "UrsmVariants.cs");

    /// <summary>Models of parameters (and summed-out discrete latents), fitted by maximum likelihood (tests/declarations/Estimation.cs).</summary>
    public static string Estimation => Path.Combine(Root, "tests", "declarations", "Estimation.cs");

    /// <summary>The declaration file of every bundled model (models/Dsl.Models/&lt;Model&gt;/&lt;Model&gt;.cs).</summary>
    public static IReadOnlyList<string> ModelFiles =>
        Directory.GetDirectories(Models).Where(d => !Path.GetFileName(d).StartsWith("bin") && !Path.GetFileName(d).StartsWith("obj"))
            .SelectMany(d => Directory.GetFiles(d, "*.cs"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

    /// <summary>Models declared by the tests to check that the generator is general (tests/Dsl.Models.Tests/Generality).</summary>
    public static IReadOnlyList<string> GeneralityModelFiles =>
        Directory.GetFiles(Path.Combine(Root, "tests", "Dsl.Models.Tests", "Generality"), "*.cs").OrderBy(p => p, StringComparer.Ordinal).ToList();

    /// <summary>One generality model's declaration file, by class name.</summary>
    public static string GeneralityModel(string name) => Path.Combine(Root, "tests", "Dsl.Models.Tests", "Generality", name + ".cs");

    /// <summary>Every model whose generated code is held to snapshots: the bundled ones and the generality models.</summary>
    public static IReadOnlyList<string> SnapshotModelFiles => ModelFiles.Concat(GeneralityModelFiles).ToList();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln"))) return directory.FullName;
        throw new InvalidOperationException("Dsl.sln not found above " + AppContext.BaseDirectory);
    }
}
