using System.Text.RegularExpressions;
using Dsl.Generators.Diagnostics;
using Dsl.Tests.Shared;
using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Tests;

/// <summary>
/// docs/diagnostics.md is the specification of every diagnostic: each bad example must report its id on the line
/// marked <c>// &lt;- DSLxxxx</c>, each fixed example must compile without any diagnostic but planning reports
/// (DSL04xx: many examples are parameters-only models, which no engine fits yet), and without its own id.
/// </summary>
public sealed class DocumentedDiagnosticsTests
{
    private static readonly string docPath = Path.Combine(RepoPaths.Root, "docs", "diagnostics.md");

    public sealed record Example(string Id, string Bad, string Fixed)
    {
        public override string ToString() => Id;
    }

    public static IReadOnlyList<Example> Examples { get; } = ParseDoc();

    public static TheoryData<string> Ids => new(Examples.Select(e => e.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void BadExample_ReportsItsId_OnTheMarkedLine(string id)
    {
        var example = Examples.Single(e => e.Id == id);
        var markedLine = example.Bad.Split('\n').Select((text, index) => (text, line: index + 1)).Single(l => l.text.Contains("// <- " + id)).line;

        var run = GeneratorHarness.Run(($"{id}.cs", example.Bad));

        var reported = run.GeneratorDiagnostics.Where(d => d.Id == id).Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToList();
        Assert.True(reported.Contains(markedLine),
            $"{id} expected on line {markedLine}; generator reported: {string.Join("; ", run.GeneratorDiagnostics.Select(d => d.ToString()))}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void FixedExample_CompilesClean(string id)
    {
        var example = Examples.Single(e => e.Id == id);

        var run = GeneratorHarness.Run(($"{id}.fixed.cs", example.Fixed));

        Assert.Empty(run.ProblemsBesidesPlanning.Select(d => d.ToString()));
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Doc_DocumentsEveryDescriptor()
    {
        var text = File.ReadAllText(docPath);
        var missing = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !text.Contains("## " + id + "\n"));

        Assert.Empty(missing);
        Assert.True(DiagnosticDescriptors.All.Count() >= 12);
    }

    [Fact]
    public void Doc_EveryExampleIdIsADescriptor_AndEveryUserFacingIdHasAnExample()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => id != DiagnosticDescriptors.InternalError.Id).ToList();

        Assert.Equal(ids.OrderBy(i => i), Examples.Select(e => e.Id).OrderBy(i => i));
    }

    [Fact]
    public void Descriptors_HaveStableShape()
    {
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Matches(@"^DSL0\d{3}$", descriptor.Id);
            Assert.EndsWith("#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            // No diagnostic is informational: a planning report (04xx) means the model gets no inference code, which a user must see.
            Assert.NotEqual(DiagnosticSeverity.Info, descriptor.DefaultSeverity);
        }
    }

    private static IReadOnlyList<Example> ParseDoc()
    {
        var text = File.ReadAllText(docPath).Replace("\r\n", "\n");
        var sections = Regex.Matches(text, @"^## (DSL\d{4})\n(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        var examples = new List<Example>();
        foreach (Match section in sections)
        {
            var blocks = Regex.Matches(section.Groups[2].Value, @"```csharp\n(.*?)```", RegexOptions.Singleline);
            if (blocks.Count == 2) examples.Add(new Example(section.Groups[1].Value, blocks[0].Groups[1].Value, blocks[1].Groups[1].Value));
        }
        return examples;
    }
}
