using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    public static partial class VariationalPlanner
    {
        /// <summary>Sums inside likelihood arguments, computed once per row (a normaliser over a subset of genes).</summary>
        private sealed partial class Planner
        {
            /// <summary>
            /// Replaces each Sum in an argument by a call of a per-row total's name (one per distinct Sum), recording the
            /// totals. A Sum whose body reads the row's item, or holds another Sum, is refused.
            /// </summary>
            private Expr HoistRowSums(NodeSpec node, string argument, Expr value, string? itemVariable, List<RowSum> rowSums)
            {
                switch (value)
                {
                    case SumExpr sum:
                        if (itemVariable is not null && ExprTools.UsesIndex(sum.Over.Body, itemVariable) || ContainsSum(sum.Over.Body))
                        {
                            Fail(node, $"argument '{argument}' holds a Sum that {(ContainsSum(sum.Over.Body) ? "holds another Sum" : $"reads the row's item {itemVariable}")}; variational inference computes a Sum inside a likelihood once per row, so it may read only the cell and its own index");
                            return value;
                        }
                        var known = rowSums.FirstOrDefault(r => ExprTools.SameShape(new SumExpr(r.Over, value.Location), sum));
                        if (known is not null) return new NodeCallExpr(known.Name, EquatableArray<Expr>.Empty, value.Location);
                        var name = $"{argument}Total{rowSums.Count}";
                        rowSums.Add(new RowSum(name, sum.Over, Partials(sum.Over.Body).ToEquatableArray()));
                        return new NodeCallExpr(name, EquatableArray<Expr>.Empty, value.Location);
                    case FunctionExpr f:
                        return f with { Arguments = f.Arguments.Select(a => HoistRowSums(node, argument, a, itemVariable, rowSums)).ToEquatableArray() };
                    case BinaryExpr b:
                        return b with { Left = HoistRowSums(node, argument, b.Left, itemVariable, rowSums), Right = HoistRowSums(node, argument, b.Right, itemVariable, rowSums) };
                    case NegateExpr n:
                        return n with { Operand = HoistRowSums(node, argument, n.Operand, itemVariable, rowSums) };
                    case NodeCallExpr call when call.Indices.Any(ContainsSum):
                        Fail(node, $"argument '{argument}' indexes '{call.Node}' by a Sum");
                        return value;
                    default:
                        return value;
                }
            }
        }
    }
}
