using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators.Parsing
{
    /// <summary>C# expression syntax -> <see cref="Expr"/>. Anything outside the DSL becomes an UnsupportedExpr.</summary>
    internal static class ExprParser
    {

        public static Expr Parse(ExpressionSyntax syntax)
        {
            var location = LocationInfo.From(syntax);
            switch (syntax)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    return Parse(parenthesized.Expression);
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                    return new ConstantExpr(AttributeReader.Number(literal)!.Value, location);
                case IdentifierNameSyntax identifier:
                    return new IndexExpr(identifier.Identifier.ValueText, location);
                case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.UnaryMinusExpression):
                    return prefix.Operand is LiteralExpressionSyntax
                        ? new ConstantExpr(AttributeReader.Number(prefix)!.Value, location)
                        : new NegateExpr(Parse(prefix.Operand), location);
                case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.UnaryPlusExpression):
                    return Parse(prefix.Operand);
                case BinaryExpressionSyntax binary when Operator(binary) is char op:
                    return new BinaryExpr(op, Parse(binary.Left), Parse(binary.Right), location);
                case InvocationExpressionSyntax invocation:
                    return ParseCall(invocation, location);
                case ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax plate, ArgumentList.Arguments: { Count: 1 } arguments }
                    when arguments[0].Expression is LiteralExpressionSyntax { Token.Value: int entry } && entry >= 0:
                    return new PlateConstantExpr(plate.Identifier.ValueText, entry, location);
                case ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax plate, ArgumentList.Arguments: { Count: 1 } arguments }:
                    return new PlateEntryExpr(plate.Identifier.ValueText, Parse(arguments[0].Expression), location);
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax index, Name.Identifier.ValueText: "Value" }:
                    return new IndexValueExpr(index.Identifier.ValueText, location);
                case ParenthesizedLambdaExpressionSyntax or SimpleLambdaExpressionSyntax:
                    return (Expr?)ParseLambda((LambdaExpressionSyntax)syntax) ?? Unsupported(syntax);
                default:
                    return Unsupported(syntax);
            }
        }

        /// <summary><c>(Gene n) =&gt; body</c>: the parameter's type names the plate the lambda ranges over.</summary>
        public static LambdaExpr? ParseLambda(LambdaExpressionSyntax lambda)
        {
            var parameter = lambda switch
            {
                ParenthesizedLambdaExpressionSyntax p when p.ParameterList.Parameters.Count == 1 => p.ParameterList.Parameters[0],
                _ => null,
            };
            if (parameter?.Type is null || lambda.ExpressionBody is null) return null;
            return new LambdaExpr(parameter.Identifier.ValueText, parameter.Type.ToString(), Parse(lambda.ExpressionBody), LocationInfo.From(lambda));
        }

        private static Expr ParseCall(InvocationExpressionSyntax invocation, LocationInfo location)
        {
            var (qualifier, name) = CalleeName(invocation.Expression);
            var arguments = invocation.ArgumentList.Arguments;
            if (qualifier == "Dist")
                return new UnsupportedExpr(invocation.ToString(), location) { IsDistribution = true };
            if (qualifier is null or "Fn" && name == "Sum")
            {
                return arguments.Count == 1 && arguments[0].Expression is LambdaExpressionSyntax lambda && ParseLambda(lambda) is { } over
                    ? new SumExpr(over, location)
                    : Unsupported(invocation);
            }
            if (qualifier is null or "Fn" && name == "Size" && arguments.Count == 0 && TypeArgument(invocation.Expression) is { } plate)
                return SumExpr.SizeOf(plate, location);
            if (qualifier is null or "Fn" && FunctionExpr.Declared.Contains(name))
                return new FunctionExpr(name!, arguments.Select(a => Parse(a.Expression)).ToEquatableArray(), location);
            if (qualifier is null && name is not null && arguments.All(a => a.NameColon is null))
                return new NodeCallExpr(name, arguments.Select(a => Parse(a.Expression)).ToEquatableArray(), location);
            return Unsupported(invocation);
        }

        /// <summary>The one type argument of a generic callee, <c>Size&lt;Cell&gt;</c> or <c>Fn.Size&lt;Cell&gt;</c>; null otherwise.</summary>
        private static string? TypeArgument(ExpressionSyntax callee) => callee switch
        {
            GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic => generic.TypeArgumentList.Arguments[0].ToString(),
            MemberAccessExpressionSyntax { Name: GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic } => generic.TypeArgumentList.Arguments[0].ToString(),
            _ => null,
        };

        public static (string? Qualifier, string? Name) CalleeName(ExpressionSyntax callee) => callee switch
        {
            IdentifierNameSyntax identifier => (null, identifier.Identifier.ValueText),
            GenericNameSyntax generic => (null, generic.Identifier.ValueText),
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } member =>
                (target.Identifier.ValueText, member.Name.Identifier.ValueText),
            MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax inner } member =>
                (inner.Name.Identifier.ValueText, member.Name.Identifier.ValueText),
            _ => (callee.ToString(), null),
        };

        private static char? Operator(BinaryExpressionSyntax binary) => binary.Kind() switch
        {
            SyntaxKind.AddExpression => '+',
            SyntaxKind.SubtractExpression => '-',
            SyntaxKind.MultiplyExpression => '*',
            SyntaxKind.DivideExpression => '/',
            _ => null,
        };

        private static UnsupportedExpr Unsupported(ExpressionSyntax syntax) =>
            new(syntax.ToString(), LocationInfo.From(syntax));
    }
}
