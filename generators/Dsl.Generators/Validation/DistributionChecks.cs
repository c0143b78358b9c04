using System.Globalization;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>A random node's <c>Dist.*</c> body: known, shaped like the node, links well formed, constants in support.</summary>
    internal static class DistributionChecks
    {
        public static void Run(ValidationContext context, NodeDecl node)
        {
            var distribution = node.Distribution;
            if (distribution is null || node.Role is not (NodeRole.Latent or NodeRole.Observed or NodeRole.Param)) return;
            var info = DistributionCatalog.Find(distribution.Name);
            if (info is null)
            {
                context.Report(DiagnosticDescriptors.DistributionShape, distribution.Location, node.Name,
                    $"'Dist.{distribution.Name}' is not a distribution of the DSL; use one of {string.Join(", ", DistributionCatalog.All.Select(d => d.Name))}");
                return;
            }
            CheckShape(context, node, distribution, info);
            CheckSupport(context, node, info, distribution);
            CheckArguments(context, node, distribution, info);
        }

        private static void CheckShape(ValidationContext context, NodeDecl node, DistributionDecl distribution, DistributionInfo info)
        {
            if (!info.IsVector) return;
            if (distribution.Over is null)
            {
                context.Report(DiagnosticDescriptors.DistributionShape, distribution.Location, node.Name,
                    $"{info.Name} is a vector distribution; name the plate it ranges over with 'over:', one of the node's indices ({string.Join(", ", node.Indices.Select(i => i.Variable))})");
            }
            else if (node.Indices.All(i => i.Variable != distribution.Over))
            {
                context.Report(DiagnosticDescriptors.DistributionShape, distribution.Location, node.Name,
                    $"{info.Name} ranges over '{distribution.Over}', which is not one of the node's indices ({string.Join(", ", node.Indices.Select(i => i.Variable))}); a vector distribution's axis must be one of the node's own plates");
            }
            else
            {
                CheckSimplexAxis(context, node, distribution, info);
            }
        }

        /// <summary>
        /// Probabilities given as a [Simplex] parameter must sum to one over the plate the draw ranges over: shares of
        /// genes cannot be the probabilities of a draw over cells.
        /// </summary>
        private static void CheckSimplexAxis(ValidationContext context, NodeDecl node, DistributionDecl distribution, DistributionInfo info)
        {
            var overPlate = node.Indices.First(i => i.Variable == distribution.Over).Plate;
            foreach (var argument in distribution.Arguments)
            {
                if (argument.Value is not NodeCallExpr call || !context.Nodes.TryGetValue(call.Node, out var target)) continue;
                if (target.Constraints is not { Simplex: true, SimplexOver: { } simplexPlate } || simplexPlate == overPlate) continue;
                context.Report(DiagnosticDescriptors.DistributionShape, argument.Location, node.Name,
                    $"{info.Name} ranges over '{distribution.Over}' (plate {overPlate}), but its {argument.Name} '{call.Node}' is a simplex over {simplexPlate}; " +
                    $"the probabilities must sum to one over the plate the draw ranges over: range over the {simplexPlate} index, or make '{call.Node}' a [Simplex(nameof({overPlate}))]");
            }
        }

        private static void CheckSupport(ValidationContext context, NodeDecl node, DistributionInfo info, DistributionDecl distribution)
        {
            string expected;
            string draws;
            if (info.Draws == Support.Category)
            {
                var lambda = distribution.Arguments.Select(a => a.Value).OfType<LambdaExpr>().FirstOrDefault();
                expected = lambda?.Plate ?? node.ValueType;
                draws = $"an index into plate '{expected}'";
            }
            else
            {
                expected = info.NodeType;
                draws = info.Draws switch
                {
                    Support.Count => "non-negative integers",
                    Support.Binary => "0 or 1",
                    Support.Positive => "positive reals",
                    Support.UnitInterval => "reals in [0, 1]",
                    _ => "reals",
                };
            }
            if (node.ValueType != expected)
                context.Report(DiagnosticDescriptors.SupportMismatch, node.Location, node.Name, node.ValueType, $"Dist.{info.Name}", draws, expected);
        }

        private static void CheckArguments(ValidationContext context, NodeDecl node, DistributionDecl distribution, DistributionInfo info)
        {
            foreach (var argument in distribution.Arguments.Where(a => info.Parameter(a.Name) is null))
            {
                context.Report(DiagnosticDescriptors.DistributionShape, argument.Location, node.Name,
                    $"Dist.{info.Name} has no argument '{argument.Name}'; its arguments are {string.Join(", ", info.Parameters.Select(p => p.Name))}");
            }
            foreach (var parameter in info.Parameters.Where(p => p.ExclusiveGroup is null))
            {
                if (distribution.Arguments.All(a => a.Name != parameter.Name))
                    context.Report(DiagnosticDescriptors.DistributionShape, distribution.Location, node.Name, $"Dist.{info.Name} needs its '{parameter.Name}' argument");
            }
            foreach (var group in info.Parameters.Where(p => p.ExclusiveGroup is not null).GroupBy(p => p.ExclusiveGroup))
            {
                var given = group.Where(p => distribution.Arguments.Any(a => a.Name == p.Name)).Select(p => p.Name).ToList();
                if (given.Count != 1)
                {
                    var names = string.Join(" or ", group.Select(p => p.Name));
                    context.Report(DiagnosticDescriptors.UnsupportedLink, distribution.Location, node.Name,
                        given.Count == 0
                            ? $"Dist.{info.Name} needs its parameter through exactly one link: give {names}"
                            : $"Dist.{info.Name} is given both {string.Join(" and ", given)}; a distribution takes one link at a time, keep one");
                }
            }
            foreach (var argument in distribution.Arguments)
            {
                var parameter = info.Parameter(argument.Name);
                if (parameter is null || Constant(argument.Value) is not double value) continue;
                var requirement = Requirement(parameter.Support, value);
                if (requirement is not null)
                {
                    context.Report(DiagnosticDescriptors.ArgumentSupport, argument.Location, node.Name, $"Dist.{info.Name}", argument.Name,
                        value.ToString("R", CultureInfo.InvariantCulture), requirement);
                }
            }
        }

        /// <summary>
        /// The value of an argument made of constants only, folded (<c>0.5 - 1</c>, <c>Sqrt(-1)</c>, <c>Exp(-2) * 3</c>),
        /// so a scale that is a constant at or below zero, or NaN, is caught here rather than at run time.
        /// </summary>
        private static double? Constant(Expr expr) => expr switch
        {
            ConstantExpr constant => constant.Value,
            NegateExpr negate => -Constant(negate.Operand),
            BinaryExpr binary when Constant(binary.Left) is double left && Constant(binary.Right) is double right => binary.Operator switch
            {
                '+' => left + right,
                '-' => left - right,
                '*' => left * right,
                '/' => left / right,
                _ => null,
            },
            FunctionExpr { Arguments.Count: 1 } function when Constant(function.Arguments[0]) is double x => function.Function switch
            {
                "Exp" => System.Math.Exp(x),
                "Log" => System.Math.Log(x),
                "Log1p" => System.Math.Log(1 + x),
                "Sqrt" => System.Math.Sqrt(x),
                "Logistic" => 1 / (1 + System.Math.Exp(-x)),
                "Softplus" => System.Math.Log(1 + System.Math.Exp(x)),
                "Phi" => StandardNormalCdf(x),
                _ => null,
            },
            _ => null,
        };

        /// <summary>
        /// Φ(x) to about 1e-7 (Abramowitz and Stegun 7.1.26 for erf), enough to check a folded constant against its
        /// support; generated code calls the runtime's exact form.
        /// </summary>
        private static double StandardNormalCdf(double x)
        {
            var z = System.Math.Abs(x) / System.Math.Sqrt(2);
            var t = 1 / (1 + 0.3275911 * z);
            var erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * System.Math.Exp(-z * z);
            return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
        }

        /// <summary>What the value should be, or null when it is within the support.</summary>
        private static string? Requirement(Support support, double value) => support switch
        {
            Support.Positive when !(value > 0) => "positive",
            Support.NonNegative when !(value >= 0) => "non-negative",
            Support.UnitInterval when !(value >= 0 && value <= 1) => "a probability in [0, 1]",
            Support.Count when !(value >= 0 && value == System.Math.Floor(value)) => "a non-negative integer",
            _ => null,
        };
    }
}
