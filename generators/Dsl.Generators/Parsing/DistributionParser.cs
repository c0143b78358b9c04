using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators.Parsing
{
    /// <summary><c>Dist.Name(args)</c> -> <see cref="DistributionDecl"/>, positional arguments named by the catalog.</summary>
    internal static class DistributionParser
    {
        public static DistributionDecl Parse(InvocationExpressionSyntax invocation)
        {
            var name = ExprParser.CalleeName(invocation.Expression).Name ?? invocation.Expression.ToString();
            var info = DistributionCatalog.Find(name);
            var positionalNames = new List<string>();
            if (info is not null)
            {
                if (info.IsVector) positionalNames.Add("over");
                positionalNames.AddRange(info.Parameters.Select(p => p.Name));
            }

            string? over = null;
            var arguments = new List<ArgumentDecl>();
            var position = 0;
            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                var argumentName = argument.NameColon?.Name.Identifier.ValueText
                    ?? (position < positionalNames.Count ? positionalNames[position] : $"#{position}");
                position++;
                if (argumentName == "over")
                {
                    over = argument.Expression is IdentifierNameSyntax index ? index.Identifier.ValueText : argument.Expression.ToString();
                    continue;
                }
                var value = argument.Expression is LambdaExpressionSyntax lambda && ExprParser.ParseLambda(lambda) is { } parsed
                    ? parsed
                    : ExprParser.Parse(argument.Expression);
                arguments.Add(new ArgumentDecl(argumentName, value, LocationInfo.From(argument)));
            }
            return new DistributionDecl(name, over, arguments.ToEquatableArray(), LocationInfo.From(invocation));
        }
    }
}
