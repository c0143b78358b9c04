using System.Reflection;
using Dsl.Generators.Helpers;
using Dsl.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generators.Tests;

/// <summary>The pipeline's values are value-equal, so an unrelated edit does not regenerate a model.</summary>
public sealed class IncrementalityTests
{
    private static readonly string ursm = File.ReadAllText(RepoPaths.ModelFiles.First(p => p.EndsWith("Ursm.cs")));

    [Fact]
    public void SameInputTwice_GivesEqualResults()
    {
        var first = ModelPipeline.RunOnSource(ursm, "Ursm.cs").Single();
        var second = ModelPipeline.RunOnSource(ursm, "Ursm.cs").Single();

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void EditToAnotherFile_LeavesTheModelCached()
    {
        var compilation = GeneratorHarness.Compilation(("Ursm.cs", ursm), ("Other.cs", "class Other { }"));
        var first = GeneratorHarness.Run(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == "Other.cs"),
            CSharpSyntaxTree.ParseText("class Other { int x; }", GeneratorHarness.ParseOptions, "Other.cs"));

        var second = GeneratorHarness.Run(edited, first.Driver);

        var steps = second.Driver.GetRunResult().Results.Single().TrackedSteps["PipelineResult"];
        Assert.All(steps.SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }

    [Fact]
    public void EditToTheModel_RegeneratesIt()
    {
        var compilation = GeneratorHarness.Compilation(("Ursm.cs", ursm));
        var first = GeneratorHarness.Run(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(ursm.Replace("Floor(1e-6)", "Floor(1e-5)"), GeneratorHarness.ParseOptions, "Ursm.cs"));

        var second = GeneratorHarness.Run(edited, first.Driver);

        var outputs = second.Driver.GetRunResult().Results.Single().TrackedSteps["PipelineResult"].SelectMany(s => s.Outputs);
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void PipelineRecords_HoldNoSymbolsOrSyntax()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SyntaxTree), typeof(Location) };
        var records = typeof(ModelPipeline).Assembly.GetTypes()
            .Where(t => t.Namespace is "Dsl.Generators" or "Dsl.Generators.Ir" or "Dsl.Generators.Diagnostics" or "Dsl.Generators.Emit")
            .Where(t => t.GetMethod("<Clone>$") is not null); // records
        var offenders = records
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (t, p)))
            .Where(x => forbidden.Any(f => f.IsAssignableFrom(Unwrap(x.p.PropertyType))))
            .Select(x => $"{x.t.Name}.{x.p.Name}");

        Assert.Empty(offenders);
    }

    private static Type Unwrap(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>) ? type.GetGenericArguments()[0] : type;
}
