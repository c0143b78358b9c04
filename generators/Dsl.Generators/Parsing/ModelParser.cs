using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators.Parsing
{
    /// <summary>
    /// Stage 1: a [PlateModel] class declaration -> <see cref="ModelDeclaration"/>. Reads syntax only (no semantic
    /// model), so it is fast, symbol-free and works on files that do not yet compile.
    /// </summary>
    public static class ModelParser
    {
        private static readonly string[] roleAttributes = { "Param", "Data", "Latent", "Observed", "Network" };

        public static ModelDeclaration Parse(ClassDeclarationSyntax model)
        {
            var plates = new List<PlateDecl>();
            var nodes = new List<NodeDecl>();
            var unsupported = new List<UnsupportedMemberDecl>();
            var sources = new List<MemberSource>();
            foreach (var member in model.Members)
            {
                if (member is StructDeclarationSyntax or MethodDeclarationSyntax) sources.Add(new MemberSource(MemberName(member), Dedented(member)));
                switch (member)
                {
                    case StructDeclarationSyntax plate when AttributeReader.Find(plate.AttributeLists, "Plate") is { } attribute:
                        plates.Add(new PlateDecl(plate.Identifier.ValueText, Description(attribute),
                            plate.Modifiers.Any(SyntaxKind.PartialKeyword), LocationInfo.From(plate.Identifier),
                            AttributeReader.Number(AttributeReader.Named(attribute, "Size")?.Expression) is double size && size != 0 ? size : null));
                        break;
                    case MethodDeclarationSyntax method:
                        nodes.Add(ParseNode(method));
                        break;
                    default:
                        unsupported.Add(new UnsupportedMemberDecl(MemberName(member), LocationInfo.From(MemberAnchor(member))));
                        break;
                }
            }

            return new ModelDeclaration(
                Namespace(model),
                model.Identifier.ValueText,
                model.Modifiers.Any(SyntaxKind.PublicKeyword) ? "public" : "internal",
                model.Modifiers.Any(SyntaxKind.PartialKeyword),
                AttributeReader.Find(model.AttributeLists, "PlateModel") is { } modelAttribute ? Description(modelAttribute) : null,
                plates.ToEquatableArray(),
                nodes.ToEquatableArray(),
                unsupported.ToEquatableArray(),
                LocationInfo.From(model.Identifier))
            {
                Extends = Extends(model.AttributeLists),
                Sources = sources.ToEquatableArray(),
                Usings = model.SyntaxTree.GetRoot().DescendantNodes().OfType<UsingDirectiveSyntax>().Select(u => u.ToString()).ToEquatableArray(),
            };
        }

        /// <summary>A member's text with its own indentation taken off every line, so it can be declared again at another depth.</summary>
        private static string Dedented(MemberDeclarationSyntax member)
        {
            var indent = member.GetLocation().GetLineSpan().StartLinePosition.Character;
            var lines = member.ToString().Replace("\r\n", "\n").Split('\n');
            return string.Join("\n", lines.Select((line, n) => n == 0 ? line : line.Substring(System.Math.Min(indent, line.Length - line.TrimStart().Length))));
        }

        /// <summary><c>Extends = typeof(Base)</c> on [PlateModel]; anything else there is kept as written so validation can say what it wants.</summary>
        private static ExtendsDecl? Extends(SyntaxList<AttributeListSyntax> attributes)
        {
            if (AttributeReader.Find(attributes, "PlateModel") is not { } attribute || AttributeReader.Named(attribute, "Extends") is not { } argument) return null;
            var type = argument.Expression is TypeOfExpressionSyntax typeOf ? typeOf.Type.ToString() : argument.Expression.ToString();
            return new ExtendsDecl(type, LocationInfo.From(argument));
        }

        private static NodeDecl ParseNode(MethodDeclarationSyntax method)
        {
            var attributes = AttributeReader.All(method.AttributeLists).ToList();
            var roles = attributes.Select(AttributeReader.ShortName).Where(roleAttributes.Contains).ToEquatableArray();
            var bodySyntax = method.ExpressionBody?.Expression ?? SingleReturn(method.Body);
            DistributionDecl? distribution = null;
            Expr? body = null;
            if (bodySyntax is InvocationExpressionSyntax invocation && ExprParser.CalleeName(invocation.Expression).Qualifier == "Dist")
                distribution = DistributionParser.Parse(invocation);
            else if (bodySyntax is not null)
                body = ExprParser.Parse(bodySyntax);
            else if (method.Body is not null)
                body = new UnsupportedExpr("a statement body", LocationInfo.From(method.Body));

            var indices = method.ParameterList.Parameters
                .Select(p => new IndexDecl(p.Identifier.ValueText, p.Type?.ToString() ?? "", LocationInfo.From(p)))
                .ToEquatableArray();

            return new NodeDecl(
                method.Identifier.ValueText,
                string.Join(" ", method.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText)),
                roles,
                method.ReturnType.ToString(),
                indices,
                method.Modifiers.Any(SyntaxKind.PartialKeyword),
                method.Body is not null || method.ExpressionBody is not null,
                distribution,
                body,
                Constraints(method.AttributeLists),
                AttributeReader.Find(method.AttributeLists, "Network") is { } network ? NetworkReader.Read(network) : null,
                AttributeReader.Find(method.AttributeLists, "Encoder") is { } encoder ? NetworkReader.Read(encoder) : null,
                LocationInfo.From(method.Identifier))
            {
                Adversarial = AttributeReader.Find(method.AttributeLists, "Adversarial") is { } adversarial ? NetworkReader.ReadAdversarial(adversarial) : null,
            };
        }

        private static ConstraintsDecl Constraints(SyntaxList<AttributeListSyntax> attributes)
        {
            var simplex = AttributeReader.Find(attributes, "Simplex");
            var floor = AttributeReader.Find(attributes, "Floor");
            return new ConstraintsDecl(
                simplex is not null,
                simplex is null ? null : AttributeReader.String(AttributeReader.Positional(simplex).FirstOrDefault()?.Expression),
                AttributeReader.Find(attributes, "Positive") is not null,
                floor is null ? null : AttributeReader.Number(AttributeReader.Positional(floor).FirstOrDefault()?.Expression),
                simplex is null ? null : LocationInfo.From(simplex),
                floor is null ? null : LocationInfo.From(floor),
                AttributeReader.Find(attributes, "Ordered") is not null,
                Missing(attributes));
        }

        private static MissingDecl? Missing(SyntaxList<AttributeListSyntax> attributes)
        {
            var measured = AttributeReader.Find(attributes, "MeasuredWhere");
            var zeros = AttributeReader.Find(attributes, "ZerosMissing");
            if (measured is null && zeros is null) return null;
            // A mask given without a readable name is kept as "" so validation reports it where it stands.
            var mask = measured is null ? null : AttributeReader.String(AttributeReader.Positional(measured).FirstOrDefault()?.Expression) ?? "";
            return new MissingDecl(mask, zeros is not null, LocationInfo.From(measured ?? zeros!));
        }

        private static ExpressionSyntax? SingleReturn(BlockSyntax? block) =>
            block is { Statements.Count: 1 } && block.Statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null;

        private static string? Description(AttributeSyntax attribute) =>
            AttributeReader.String(AttributeReader.Positional(attribute).FirstOrDefault()?.Expression);

        private static string Namespace(SyntaxNode node)
        {
            var parts = node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse();
            return string.Join(".", parts);
        }

        private static string MemberName(MemberDeclarationSyntax member) => member switch
        {
            BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
            MethodDeclarationSyntax method => method.Identifier.ValueText,
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            BaseFieldDeclarationSyntax field => string.Join(", ", field.Declaration.Variables.Select(v => v.Identifier.ValueText)),
            ConstructorDeclarationSyntax constructor => constructor.Identifier.ValueText,
            _ => member.Kind().ToString(),
        };

        private static SyntaxNode MemberAnchor(MemberDeclarationSyntax member) => member switch
        {
            BaseFieldDeclarationSyntax field when field.Declaration.Variables.Count > 0 => field.Declaration.Variables[0],
            _ => member,
        };
    }
}
