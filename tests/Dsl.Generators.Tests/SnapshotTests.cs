using Dsl.Generators.Emit;
using Dsl.Tests.Shared;

namespace Dsl.Generators.Tests;

/// <summary>Every bundled model and every generality model of the tests: the IR after each stage and every generated file, against committed baselines.</summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> Models => new(RepoPaths.SnapshotModelFiles.Select(Path.GetFileNameWithoutExtension)!);

    private static string FileOf(string model) => RepoPaths.SnapshotModelFiles.Single(f => Path.GetFileNameWithoutExtension(f) == model);

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_EachStage_MatchesBaseline(string model)
    {
        var result = ModelPipeline.RunOnSource(File.ReadAllText(FileOf(model)), FileOf(model)).Single();

        // Planning warnings are allowed: gimVI is valid but no VI rule covers its shared encoder layer yet (DSL0402).
        Assert.DoesNotContain(result.Diagnostics, d => !d.Descriptor.Id.StartsWith("DSL04"));
        SnapshotAssert.Match(IrPrinter.Print(result.Declaration!), model, "1.declaration", "txt");
        SnapshotAssert.Match(IrPrinter.Print(result.Spec!), model, "2.graph", "txt");
        foreach (var file in result.Files)
            SnapshotAssert.Match(file.Text, model, Path.GetFileNameWithoutExtension(file.HintName), "cs");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_GeneratedFileSet_MatchesBaselineSet(string model)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ModelFile(FileOf(model)));
        var produced = run.Generated.Select(g => Path.GetFileNameWithoutExtension(g.HintName) + ".verified.cs").OrderBy(n => n, StringComparer.Ordinal);
        // The generator's hint names carry the model's namespace (see PlateModelGenerator.QualifiedHintName); the baselines do not.
        var modelNamespace = ModelPipeline.RunOnSource(File.ReadAllText(FileOf(model)), FileOf(model)).Single().Declaration!.Namespace;
        var baselines = Directory.GetFiles(Path.Combine(SnapshotAssert.Folder(), model), "*.verified.cs").Select(Path.GetFileName)
            .Select(name => PlateModelGenerator.QualifiedHintName(modelNamespace, name!)).OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(baselines, produced);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_GeneratedCode_CompilesWithoutWarnings(string model)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ModelFile(FileOf(model)));

        Assert.Empty(run.ProblemsBesidesPlanning);
        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Snapshots_EveryCaseFolder_BelongsToAModel()
    {
        var models = RepoPaths.SnapshotModelFiles.Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var orphans = Directory.GetDirectories(SnapshotAssert.Folder()).Select(Path.GetFileName).Where(d => !models.Contains(d));

        Assert.Empty(orphans);
    }

    [Fact]
    public void Pipeline_GeneratorAndDirectCall_ProduceTheSameFiles()
    {
        var file = FileOf("Ursm");
        var result = ModelPipeline.RunOnSource(File.ReadAllText(file), file).Single();
        var direct = result.Files.Select(f => (PlateModelGenerator.QualifiedHintName(result.Declaration!.Namespace, f.HintName), f.Text));
        var viaGenerator = GeneratorHarness.Run(GeneratorHarness.ModelFile(file)).Generated;

        Assert.Equal(direct, viaGenerator);
    }
}
