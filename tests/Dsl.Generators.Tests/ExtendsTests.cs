using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generators.Tests;

/// <summary>
/// <c>[PlateModel(Extends = typeof(Base))]</c>: a model made of its base's plates and nodes with its own declarations
/// replacing theirs, its base found in any file of the compilation, and an edit to the base regenerating it.
/// </summary>
public sealed class ExtendsTests
{
    private const string Base = """
        using Dsl;

        namespace Examples;

        [PlateModel]
        public partial class Counts
        {
            [Plate] public partial struct Cell { }
            [Plate] public partial struct Gene { }

            [Data] public partial double size(Cell c);
            [Param, Positive] public partial double rate(Gene g);
            [Observed] public int y(Cell c, Gene g) => Dist.Poisson(size(c) * rate(g));
        }
        """;

    private const string Variant = """
        using Dsl;

        namespace Examples;

        [PlateModel(Extends = typeof(Counts))]
        public partial class OverdispersedCounts
        {
            [Param, Positive] public partial double dispersion(Gene g);
            [Observed] public int y(Cell c, Gene g) => Dist.NegativeBinomial(size(c) * rate(g), dispersion(g));
        }
        """;

    [Fact]
    public void AVariantInAnotherFile_InheritsTheBase_AndReplacesWhatItRedeclares()
    {
        var run = GeneratorHarness.Run(("Counts.cs", Base), ("Variant.cs", Variant));

        Assert.Empty(run.Problems);
        Assert.Empty(run.OutputDiagnostics);
        var inherited = run.Generated.Single(g => g.HintName == "Examples.OverdispersedCounts.Inherited.g.cs").Text;
        // The base's plates and the nodes the variant does not redeclare, as written; not the replaced observation.
        Assert.Contains("[Plate] public partial struct Gene { }", inherited);
        Assert.Contains("[Param, Positive] public partial double rate(Gene g);", inherited);
        Assert.DoesNotContain("Dist.Poisson", inherited);
        // Planned as the merged model: fitted by maximum likelihood, with the base's parameter and its own.
        var objective = run.Generated.Single(g => g.HintName == "Examples.OverdispersedCounts.Objective.g.cs").Text;
        Assert.Contains("new string[] { \"rate\", \"dispersion\" }", objective);
        Assert.Contains("NegativeBinomial", objective);
    }

    [Theory]
    [InlineData("typeof(Count)", "Extends = typeof(Count) names no [PlateModel] class of this compilation")]
    [InlineData("typeof(OverdispersedCounts)", "Extends = typeof(OverdispersedCounts) makes a cycle (OverdispersedCounts -> OverdispersedCounts)")]
    public void ABaseThatCannotBeExtended_IsDsl0010AtTheAttribute(string extends, string message)
    {
        var run = GeneratorHarness.Run(("Counts.cs", Base), ("Variant.cs", Variant.Replace("typeof(Counts)", extends)));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0010");
        Assert.Contains(message, diagnostic.GetMessage());
        Assert.Equal(4, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void AnEditToTheBase_RegeneratesTheVariant()
    {
        var compilation = GeneratorHarness.Compilation(("Counts.cs", Base), ("Variant.cs", Variant));
        var first = GeneratorHarness.Run(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == "Counts.cs"),
            CSharpSyntaxTree.ParseText(Base.Replace("[Param, Positive] public partial double rate(Gene g);", "[Param, Positive, Floor(1e-6)] public partial double rate(Gene g);"),
                GeneratorHarness.ParseOptions, "Counts.cs"));

        var second = GeneratorHarness.Run(edited, first.Driver);

        Assert.Contains("[Param, Positive, Floor(1e-6)] public partial double rate(Gene g);",
            second.Generated.Single(g => g.HintName == "Examples.OverdispersedCounts.Inherited.g.cs").Text);
        Assert.Empty(second.OutputDiagnostics);
    }
}
