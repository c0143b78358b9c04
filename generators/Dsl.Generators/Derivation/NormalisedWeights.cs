using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Binary switches in a multinomial's normalised weights (URSM's S): y(.., r) ~ Multinomial(over: i, p: w(i)·s(i, r)
    /// / Sum((n) => w(n)·s(n, r))), the switch s read once in the numerator and the same product summed in the
    /// denominator. Gibbs-EM's logistic blocks and exact Gibbs's switch entry both enumerate such an s with a running
    /// sum of the weights that are switched on.
    /// </summary>
    internal static class NormalisedWeights
    {
        /// <summary>
        /// The weight w, written in <paramref name="s"/>'s own index variables, where <paramref name="y"/> switches its
        /// entries along <paramref name="element"/> (s's index over the multinomial's plate) by s as above; else null.
        /// </summary>
        public static Expr? Weight(ModelSpec spec, NodeSpec s, IndexDecl element, NodeSpec y)
        {
            if (y.Declaration.Distribution is not { Name: "Multinomial" } d) return null;
            var p = ExprTools.Argument(y, "p", spec);
            var yElement = y.Indices.FirstOrDefault(i => i.Variable == d.Over || i.Plate == d.Over);
            if (p is not BinaryExpr { Operator: '/', Left: var numerator, Right: SumExpr normaliser } || yElement is null || yElement.Plate != element.Plate
                || !y.Indices.All(i => s.Indices.Any(o => o.Plate == i.Plate)))
                return null;
            var factors = ExprTools.Factors(numerator);
            var switches = factors.Where(f => ExprTools.Mentions(f, s.Name)).ToList();
            var renamed = ExprTools.Substitute(numerator, new Dictionary<string, Expr> { [yElement.Variable] = new IndexExpr(normaliser.Over.Variable, normaliser.Location) });
            if (switches.Count != 1 || switches[0] is not NodeCallExpr || !ExprTools.SameShape(renamed, normaliser.Over.Body)) return null;
            var weight = ExprTools.Product(factors.Where(f => f != switches[0]).ToList(), numerator);
            // Name the weight in the switch's own index variables, plate by plate.
            var renaming = y.Indices.ToDictionary(i => i.Variable, i => (Expr)new IndexExpr(s.Indices.First(o => o.Plate == i.Plate).Variable, i.Location));
            return ExprTools.Substitute(weight, renaming);
        }
    }
}
