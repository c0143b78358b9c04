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

        private readonly ValidationContext context;
        private readonly NodeDecl node;
        private readonly SortedSet<string> parents = new(System.StringComparer.Ordinal);

        /// <summary>Index variables a Sum somewhere in this node binds: a use outside their Sum gets its own message.</summary>
        private readonly HashSet<string> boundInSums;

        private ExpressionChecks(ValidationContext context, NodeDecl node)
        {
            this.context = context;
            this.node = node;
            boundInSums = new HashSet<string>(Expressions(node).SelectMany(Descendants).OfType<LambdaExpr>().Select(l => l.Variable));
        }

        /// <summary>A node's body and its distribution's arguments.</summary>
        internal static IEnumerable<Expr> Expressions(NodeDecl node) =>
            (node.Body is null ? Enumerable.Empty<Expr>() : new[] { node.Body })
                .Concat(node.Distribution?.Arguments.Select(a => a.Value) ?? Enumerable.Empty<Expr>());

        private static IEnumerable<Expr> Descendants(Expr expr)
        {
            yield return expr;
            var children = expr switch
            {
                NodeCallExpr call => call.Indices.AsEnumerable(),
                FunctionExpr function => function.Arguments.AsEnumerable(),
                SumExpr sum => new Expr[] { sum.Over },
                LambdaExpr lambda => new[] { lambda.Body },
                BinaryExpr binary => new[] { binary.Left, binary.Right },
                NegateExpr negate => new[] { negate.Operand },
                PlateEntryExpr entry => new[] { entry.Position },
                _ => Enumerable.Empty<Expr>(),
            };
            foreach (var child in children)
                foreach (var descendant in Descendants(child)) yield return descendant;
        }

        public static IReadOnlyCollection<string> Run(ValidationContext context, NodeDecl node)
        {
            var checks = new ExpressionChecks(context, node);
            var scope = node.Indices.Where(i => context.Plates.Contains(i.Plate))
                .GroupBy(i => i.Variable)
                .ToImmutableDictionary(g => g.Key, g => g.First().Plate);
            // A body is a number unless the node itself is valued in a plate; distribution arguments are numbers.
            if (node.Body is not null) checks.Visit(node.Body, scope, numeric: context.IndexPlateOf(node) is null);
            if (node.Distribution is not null)
                foreach (var argument in node.Distribution.Arguments) checks.Visit(argument.Value, scope, numeric: true);
            return checks.parents;
        }

        /// <param name="numeric">the expression's value is used as a number (not as an index into a plate)</param>
        private void Visit(Expr expr, ImmutableDictionary<string, string> scope, bool numeric)
        {
            switch (expr)
            {
                case ConstantExpr:
                    break;
                case IndexExpr index when !scope.ContainsKey(index.Name) && boundInSums.Contains(index.Name) && !context.Nodes.ContainsKey(index.Name):
                    context.Report(DiagnosticDescriptors.IndexOutsideItsSum, index.Location, node.Name, index.Name);
                    break;
                case IndexExpr index when !scope.ContainsKey(index.Name):
                    context.Report(DiagnosticDescriptors.UnknownNode, index.Location, node.Name,
                        context.Nodes.ContainsKey(index.Name) ? $"{index.Name}' without indices; write '{index.Name}(...)" : index.Name);
                    break;
                case IndexExpr:
                    break;
                case IndexValueExpr value when !scope.ContainsKey(value.Name):
                    context.Report(DiagnosticDescriptors.UnknownNode, value.Location, node.Name, value.Name);
                    break;
                case IndexValueExpr:
                    break;
                case PlateEntryExpr entry when !context.Plates.Contains(entry.Plate):
                    context.Report(DiagnosticDescriptors.UnknownPlate, entry.Location, node.Name, entry.Plate, context.PlateList);
                    break;
                case PlateEntryExpr entry:
                    Visit(entry.Position, scope, numeric: true);
                    break;
                case PlateConstantExpr entry when !context.Plates.Contains(entry.Plate):
                    context.Report(DiagnosticDescriptors.UnknownPlate, entry.Location, node.Name, entry.Plate, context.PlateList);
                    break;
                case PlateConstantExpr entry when numeric:
                    context.Report(DiagnosticDescriptors.UnsupportedExpression, entry.Location, node.Name,
                        $"new {entry.Plate}({entry.Value}) used as a number (a fixed plate entry can only index a node, e.g. beta(new {entry.Plate}({entry.Value})))");
                    break;
                case PlateConstantExpr:
                    break;
                case NodeCallExpr call:
                    if (numeric && context.Nodes.TryGetValue(call.Node, out var valued) && context.IndexPlateOf(valued) is { } plate)
                        context.Report(DiagnosticDescriptors.PlateValueAsNumber, call.Location, node.Name, call.Node, plate);
                    VisitNodeCall(call, scope);
                    break;
                case FunctionExpr function:
                    if (!FunctionExpr.Declared.Contains(function.Function) || function.Arguments.Count != 1)
                        context.Report(DiagnosticDescriptors.UnsupportedExpression, function.Location, node.Name, $"{function.Function} with {function.Arguments.Count} arguments");
                    foreach (var argument in function.Arguments) Visit(argument, scope, numeric: true);
                    break;
                case SumExpr sum:
                    Visit(sum.Over, scope, numeric: true);
                    if (context.Plates.Contains(sum.Over.Plate) && !sum.CountsEntries && !Descendants(sum.Over.Body).Any(e => e is IndexExpr i && i.Name == sum.Over.Variable || e is IndexValueExpr v && v.Name == sum.Over.Variable))
                        context.Report(DiagnosticDescriptors.SumIndexUnused, sum.Location, node.Name, sum.Over.Plate, sum.Over.Variable, Example(sum.Over));
                    break;
                case LambdaExpr lambda when !context.Plates.Contains(lambda.Plate):
                    context.Report(DiagnosticDescriptors.UnknownPlate, lambda.Location, node.Name, lambda.Plate, context.PlateList);
                    break;
                case LambdaExpr lambda:
                    Visit(lambda.Body, scope.SetItem(lambda.Variable, lambda.Plate), numeric);
                    break;
                case BinaryExpr binary:
                    Visit(binary.Left, scope, numeric: true);
                    Visit(binary.Right, scope, numeric: true);
                    break;
                case NegateExpr negate:
                    Visit(negate.Operand, scope, numeric: true);
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
                Visit(argument, scope, numeric: false);
                if (position >= target.Indices.Count) continue;
                var expected = target.Indices[position].Plate;
                var actual = PlateOf(argument, scope);
                if (actual is null && argument is not IndexExpr and not NodeCallExpr and not PlateConstantExpr and not PlateEntryExpr)
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

        /// <summary>The first node the Sum's body reads, indexed by the Sum's variable where it has a slot for that plate: the fix to show.</summary>
        private string Example(LambdaExpr sum)
        {
            var call = Descendants(sum.Body).OfType<NodeCallExpr>().FirstOrDefault(c => context.Nodes.ContainsKey(c.Node));
            if (call is null) return $"x({sum.Variable})";
            var target = context.Nodes[call.Node];
            var slots = target.Indices.Select(i => i.Plate == sum.Plate ? sum.Variable : i.Variable);
            return $"{call.Node}({string.Join(", ", slots)})";
        }

        /// <summary>The plate an index-valued expression ranges over: an index variable, or a node valued in a plate.</summary>
        private string? PlateOf(Expr expr, ImmutableDictionary<string, string> scope) => expr switch
        {
            IndexExpr index => scope.TryGetValue(index.Name, out var plate) ? plate : null,
            PlateConstantExpr constant => constant.Plate,
            PlateEntryExpr entry => entry.Plate,
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
