using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators.Parsing
{
    /// <summary>Reads DSL attributes from syntax alone, so half-typed files still parse.</summary>
    internal static class AttributeReader
    {
        /// <summary>"Dsl.ParamAttribute", "ParamAttribute" and "Param" all name the attribute "Param".</summary>
        public static string ShortName(AttributeSyntax attribute)
        {
            var name = attribute.Name switch
            {
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => attribute.Name.ToString(),
            };
            return name.EndsWith("Attribute") ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        public static IEnumerable<AttributeSyntax> All(SyntaxList<AttributeListSyntax> lists) =>
            lists.SelectMany(list => list.Attributes);

        public static AttributeSyntax? Find(SyntaxList<AttributeListSyntax> lists, string shortName) =>
            All(lists).FirstOrDefault(a => ShortName(a) == shortName);

        public static IEnumerable<AttributeArgumentSyntax> Positional(AttributeSyntax attribute) =>
            attribute.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null)
            ?? Enumerable.Empty<AttributeArgumentSyntax>();

        public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
            attribute.ArgumentList?.Arguments.FirstOrDefault(a =>
                a.NameEquals?.Name.Identifier.ValueText == name || a.NameColon?.Name.Identifier.ValueText == name);

        /// <summary>A string literal or <c>nameof(X)</c>.</summary>
        public static string? String(ExpressionSyntax? expression) => expression switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } call
                when call.ArgumentList.Arguments.Count == 1 => LastIdentifier(call.ArgumentList.Arguments[0].Expression),
            _ => null,
        };

        public static double? Number(ExpressionSyntax? expression) => expression switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) =>
                System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture),
            PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.UnaryMinusExpression) => -Number(prefix.Operand),
            _ => null,
        };

        public static bool? Boolean(ExpressionSyntax? expression) => expression switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.TrueLiteralExpression) => true,
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.FalseLiteralExpression) => false,
            _ => null,
        };

        /// <summary><c>new[] { "a", nameof(b) }</c> or <c>new string[] { ... }</c> or a collection expression.</summary>
        public static IReadOnlyList<string> Strings(ExpressionSyntax? expression)
        {
            var elements = expression switch
            {
                ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions.ToList(),
                ArrayCreationExpressionSyntax array => array.Initializer?.Expressions.ToList() ?? new List<ExpressionSyntax>(),
                CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
                null => new List<ExpressionSyntax>(),
                _ => new List<ExpressionSyntax> { expression },
            };
            return elements.Select(String).Where(s => s is not null).Select(s => s!).ToList();
        }

        /// <summary>The member name of an enum value such as <c>Activation.Softmax</c>.</summary>
        public static string? EnumMember(ExpressionSyntax? expression) => expression is null ? null : LastIdentifier(expression);

        private static string LastIdentifier(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => expression.ToString(),
        };
    }
}
