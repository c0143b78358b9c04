using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>
    /// Walks one node's body and distribution arguments: every name resolves, every index ranges over the plate its
    /// position expects. Returns the node's parents (the nodes it reads).
    /// </summary>
    internal sealed class ExpressionChecks
    {
        private static readonly string[] unaryFunctions = { "Logistic", "Exp", "Log", "Log1p", "Sqrt", "Softplus" };

        private readonly ValidationContext context;
        private readonly NodeDecl node;
        private readonly SortedSet<string> parents = new(System.StringComparer.Ordinal);

        private ExpressionChecks(ValidationContext context, NodeDecl node)
        {
            this.context = context;
            this.node = node;
        }

        public static IReadOnlyCollection<string> Run(ValidationContext context, NodeDecl node)
        {
            var checks = new ExpressionChecks(context, node);
            var scope = node.Indices.Where(i => context.Plates.Contains(i.Plate))
                .GroupBy(i => i.Variable)
                .ToImmutableDictionary(g => g.Key, g => g.First().Plate);
            if (node.Body is not null) checks.Visit(node.Body, scope);
            if (node.Distribution is not null)
                foreach (var argument in node.Distribution.Arguments) checks.Visit(argument.Value, scope);
            return checks.parents;
        }

        private void Visit(Expr expr, ImmutableDictionary<string, string> scope)
        {
            switch (expr)
            {
                case ConstantExpr:
                    break;
                case IndexExpr index when !scope.ContainsKey(index.Name):
                    context.Report(DiagnosticDescriptors.UnknownNode, index.Location, node.Name,
                        context.Nodes.ContainsKey(index.Name) ? $"{index.Name}' without indices; write '{index.Name}(...)" : index.Name);
                    break;
                case IndexExpr:
                    break;
                case NodeCallExpr call:
                    VisitNodeCall(call, scope);
                    break;
                case FunctionExpr function:
                    if (!unaryFunctions.Contains(function.Function) || function.Arguments.Count != 1)
                        context.Report(DiagnosticDescriptors.UnsupportedExpression, function.Location, node.Name, $"{function.Function} with {function.Arguments.Count} arguments");
                    foreach (var argument in function.Arguments) Visit(argument, scope);
                    break;
                case SumExpr sum:
                    Visit(sum.Over, scope);
                    break;
                case LambdaExpr lambda when !context.Plates.Contains(lambda.Plate):
                    context.Report(DiagnosticDescriptors.UnknownPlate, lambda.Location, node.Name, lambda.Plate, context.PlateList);
                    break;
                case LambdaExpr lambda:
                    Visit(lambda.Body, scope.SetItem(lambda.Variable, lambda.Plate));
                    break;
                case BinaryExpr binary:
                    Visit(binary.Left, scope);
                    Visit(binary.Right, scope);
                    break;
                case NegateExpr negate:
                    Visit(negate.Operand, scope);
                    break;
                case UnsupportedExpr { IsDistribution: true } distribution:
                    context.Report(DiagnosticDescriptors.DistributionInDeterministic, distribution.Location, node.Name,
                        $"move '{distribution.Text}' into a [Latent] node of its own and use that node here");
                    break;
                case UnsupportedExpr unsupported:
                    context.Report(DiagnosticDescriptors.UnsupportedExpression, unsupported.Location, node.Name, unsupported.Text);
                    break;
            }
        }

        private void VisitNodeCall(NodeCallExpr call, ImmutableDictionary<string, string> scope)
        {
            if (!context.Nodes.TryGetValue(call.Node, out var target))
            {
                context.Report(DiagnosticDescriptors.UnknownNode, call.Location, node.Name, call.Node);
                return;
            }
            parents.Add(call.Node);
            if (target.Indices.Count != call.Indices.Count)
            {
                context.Report(DiagnosticDescriptors.WrongIndexCount, call.Location, node.Name, call.Node,
                    target.Indices.Count.ToString(), string.Join(", ", target.Indices.Select(i => i.Plate)), call.Indices.Count.ToString());
            }
            for (var position = 0; position < call.Indices.Count; position++)
            {
                var argument = call.Indices[position];
                Visit(argument, scope);
                if (position >= target.Indices.Count) continue;
                var expected = target.Indices[position].Plate;
                var actual = PlateOf(argument, scope);
                if (actual is null && argument is not IndexExpr and not NodeCallExpr)
                {
                    context.Report(DiagnosticDescriptors.IndexOutsidePlate, argument.Location, node.Name, (position + 1).ToString(),
                        call.Node, expected, argument is UnsupportedExpr u ? u.Text : "this expression", "no plate (it is not an index)");
                }
                else if (actual is not null && actual != expected && context.Plates.Contains(expected))
                {
                    context.Report(DiagnosticDescriptors.IndexOutsidePlate, argument.Location, node.Name, (position + 1).ToString(),
                        call.Node, expected, Describe(argument), actual);
                }
            }
        }

        /// <summary>The plate an index-valued expression ranges over: an index variable, or a node valued in a plate.</summary>
        private string? PlateOf(Expr expr, ImmutableDictionary<string, string> scope) => expr switch
        {
            IndexExpr index => scope.TryGetValue(index.Name, out var plate) ? plate : null,
            NodeCallExpr call when context.Nodes.TryGetValue(call.Node, out var target) => context.IndexPlateOf(target) ?? "(a real value)",
            _ => null,
        };

        private static string Describe(Expr expr) => expr switch
        {
            IndexExpr index => index.Name,
            NodeCallExpr call => call.Node + "(...)",
            _ => "this expression",
        };
    }
}
