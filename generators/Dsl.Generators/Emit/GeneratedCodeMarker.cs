using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Marks every piece of a generated file with [GeneratedCode], so analysers, coverage tools and debuggers know it for
    /// generated. A type emitted whole carries the attribute itself. A partial type (the user's model class, a plate
    /// struct, a part spread over several files) may carry it on one part only, so each member of its generated part
    /// carries it instead, except the bodiless defining half of a partial member. One rule over the syntax of every file, rather than a line in every emitter.
    /// </summary>
    public static class GeneratedCodeMarker
    {
        public static GeneratedFile Mark(GeneratedFile file)
        {
            var text = SourceText.From(file.Text);
            var root = CSharpSyntaxTree.ParseText(text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview)).GetRoot();
            var unmarked = new List<MemberDeclarationSyntax>();
            foreach (var member in TopLevel(root)) Collect(member, unmarked);
            if (unmarked.Count == 0) return file;
            var changes = unmarked.Select(member => new TextChange(new TextSpan(member.SpanStart, 0), EmitHelpers.GeneratedCodeAttribute + "\n" + Indentation(text, member)));
            return file with { Text = text.WithChanges(changes).ToString() };
        }

        private static IEnumerable<MemberDeclarationSyntax> TopLevel(SyntaxNode root) =>
            root.ChildNodes().SelectMany(node => node is BaseNamespaceDeclarationSyntax ns ? ns.Members : node is MemberDeclarationSyntax m ? new[] { m } : Enumerable.Empty<MemberDeclarationSyntax>());

        private static void Collect(MemberDeclarationSyntax member, List<MemberDeclarationSyntax> unmarked)
        {
            if (IsMarked(member) || IsDefiningPartial(member)) return;
            if (member is TypeDeclarationSyntax type && type.Modifiers.Any(SyntaxKind.PartialKeyword))
                foreach (var inner in type.Members) Collect(inner, unmarked);
            else
                unmarked.Add(member);
        }

        /// <summary>
        /// The defining half of a partial method or property (no body): its implementing half carries the attribute,
        /// which a member, like a type, may carry once (an extending model's Inherited.g.cs defines, Storage.g.cs implements).
        /// </summary>
        public static bool IsDefiningPartial(MemberDeclarationSyntax member) => member switch
        {
            MethodDeclarationSyntax m => m.Modifiers.Any(SyntaxKind.PartialKeyword) && m.Body is null && m.ExpressionBody is null,
            PropertyDeclarationSyntax p => p.Modifiers.Any(SyntaxKind.PartialKeyword) && p.ExpressionBody is null
                && p.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null),
            _ => false,
        };

        public static bool IsMarked(MemberDeclarationSyntax member) =>
            member.AttributeLists.SelectMany(list => list.Attributes).Any(a => a.Name.ToString().EndsWith("GeneratedCode", System.StringComparison.Ordinal));

        /// <summary>The whitespace before the member on its line, so the attribute lines up with it.</summary>
        private static string Indentation(SourceText text, MemberDeclarationSyntax member)
        {
            var line = text.Lines.GetLineFromPosition(member.SpanStart);
            var before = text.ToString(TextSpan.FromBounds(line.Start, member.SpanStart));
            return before.All(char.IsWhiteSpace) ? before : "";
        }
    }
}
