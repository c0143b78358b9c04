using Dsl.Generators.Emit;
using Dsl.Tests.Shared;

namespace Dsl.Generators.Tests;

/// <summary>Every bundled model and every generality model of the tests: the IR after each stage and every generated file, against committed baselines.</summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> Models => new(RepoPaths.SnapshotModelFiles.Select(Path.GetFileNameWithoutExtension)!);

    private static string FileOf(string model) => RepoPaths.SnapshotModelFiles.Single(f => Path.GetFileNameWithoutExtension(f) == model);

    /// <summary>The model's file and those of the bases it extends: a variant is compiled beside its base (dsl check variant.cs base.cs).</summary>
    private static (string Path, string Text)[] Sources(string model)
    {
        var text = File.ReadAllText(FileOf(model));
        var bases = System.Text.RegularExpressions.Regex.Matches(text, @"Extends\s*=\s*typeof\((\w+)\)").Select(m => FileOf(m.Groups[1].Value));
        return new[] { (FileOf(model), text) }.Concat(bases.Select(b => (b, File.ReadAllText(b)))).ToArray();
    }

    /// <summary>The model through every stage, its Extends resolved among the declarations of its sources.</summary>
    internal static PipelineResult RunModel(string model)
    {
        var declarations = Sources(model)
            .SelectMany(s => ModelPipeline.FindModels(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(s.Text, GeneratorHarness.ParseOptions, s.Path).GetRoot()))
            .Select(ModelPipeline.Parse).Select(p => p.Declaration!).ToList();
        return ModelPipeline.Run(declarations.Single(d => d.ClassName == model), declarations);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_EachStage_MatchesBaseline(string model)
    {
        var result = RunModel(model);

        // Planning warnings are allowed: gimVI is valid but no VI rule covers its shared encoder layer yet (DSL0402).
        Assert.DoesNotContain(result.Diagnostics, d => !d.Descriptor.Id.StartsWith("DSL04"));
        SnapshotAssert.Match(IrPrinter.Print(result.Declaration!), model, "1.declaration", "txt");
        SnapshotAssert.Match(IrPrinter.Print(result.Spec!), model, "2.graph", "txt");
        SnapshotAssert.Match(PlanPrinter.Print(result.Plans!), model, "3.plan", "txt");
        SnapshotAssert.Match(LoweredPrinter.Print(Lowering.LoweredProgram.Lower(result.Spec!, result.Plans!)), model, "4.lowered", "txt");
        foreach (var file in result.Files)
            SnapshotAssert.Match(file.Text, model, Path.GetFileNameWithoutExtension(file.HintName), "cs");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_GeneratedFileSet_MatchesBaselineSet(string model)
    {
        var run = GeneratorHarness.Run(Sources(model));
        // The generator's hint names carry the model's namespace (see PlateModelGenerator.QualifiedHintName); the baselines do not.
        var modelNamespace = RunModel(model).Declaration!.Namespace;
        var produced = run.Generated.Where(g => g.HintName.StartsWith($"{modelNamespace}.{model}.", StringComparison.Ordinal))
            .Select(g => Path.GetFileNameWithoutExtension(g.HintName) + ".verified.cs").OrderBy(n => n, StringComparer.Ordinal);
        var baselines = Directory.GetFiles(Path.Combine(SnapshotAssert.Folder(), model), "*.verified.cs").Select(Path.GetFileName)
            .Select(name => PlateModelGenerator.QualifiedHintName(modelNamespace, name!)).OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(baselines, produced);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_GeneratedCode_CompilesWithoutWarnings(string model)
    {
        var run = GeneratorHarness.Run(Sources(model));

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
