using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators.Tests;

/// <summary>
/// Every piece of generated code says so, for analysers, coverage tools and debuggers: each type the generator
/// declares whole carries [GeneratedCode], and so does each member of a partial type's generated part (the attribute
/// allows one use per type, so the user's own partial class, a plate struct or a part spread over files cannot carry it).
/// </summary>
public sealed class GeneratedCodeAttributeTests
{
    public static TheoryData<string> Models => SnapshotTests.Models;

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryGeneratedMemberAndType_CarriesGeneratedCode(string model)
    {
        var result = SnapshotTests.RunModel(model);
        var unmarked = new List<string>();
        foreach (var file in result.Files)
        {
            var root = CSharpSyntaxTree.ParseText(file.Text, GeneratorHarness.ParseOptions).GetRoot();
            var topLevel = root.ChildNodes().SelectMany(n => n is BaseNamespaceDeclarationSyntax ns ? ns.Members.ToArray() : n is MemberDeclarationSyntax m ? [m] : []);
            foreach (var member in topLevel) Visit(member, file.HintName, unmarked);
        }

        Assert.True(result.Files.Count > 0);
        Assert.True(unmarked.Count == 0, $"without [GeneratedCode]:\n{string.Join("\n", unmarked)}");
    }

    /// <summary>A marked declaration covers what it holds; a partial type's generated part needs each member marked.</summary>
    private static void Visit(MemberDeclarationSyntax member, string file, List<string> unmarked)
    {
        if (Marked(member) || Emit.GeneratedCodeMarker.IsDefiningPartial(member)) return;
        if (member is TypeDeclarationSyntax type && type.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)))
            foreach (var inner in type.Members) Visit(inner, file, unmarked);
        else
            unmarked.Add($"{file}: {Describe(member)}");
    }

    private static bool Marked(MemberDeclarationSyntax member) =>
        member.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().EndsWith("GeneratedCode", StringComparison.Ordinal));

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => $"method {m.Identifier.ValueText}",
        PropertyDeclarationSyntax p => $"property {p.Identifier.ValueText}",
        FieldDeclarationSyntax f => $"field {string.Join(", ", f.Declaration.Variables.Select(v => v.Identifier.ValueText))}",
        BaseTypeDeclarationSyntax t => $"type {t.Identifier.ValueText}",
        ConstructorDeclarationSyntax c => $"constructor {c.Identifier.ValueText}",
        _ => member.Kind().ToString(),
    };
}
