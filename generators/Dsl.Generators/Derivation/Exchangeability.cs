using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Plates whose entries the declaration cannot tell apart: permuting them leaves the joint density unchanged, so
    /// its posterior has one copy of every mode per permutation (a mixture's components with identical priors, a topic
    /// model's topics, a factor model's factors). Chains then settle on different labellings and their summaries mean
    /// nothing until the labels are aligned. A plate is exchangeable when only latent and deterministic nodes range over
    /// it or take its values, a latent allocation takes its values in it or an observation sums a product of latents
    /// over it, none is [Ordered] (which fixes an order) or ranges over it twice, and no expression names a fixed entry of
    /// it: every read is then at a variable that runs over the whole plate (the node's own index, a sum's or a
    /// categorical's), or at a latent's value in it, all of which a permutation maps onto themselves.
    /// </summary>
    public static class Exchangeability
    {
        /// <summary>The exchangeable plates; none in a model with a network, whose weights, fitted at one labelling, tell the entries apart.</summary>
        public static IReadOnlyList<string> Plates(ModelSpec spec) =>
            spec.Nodes.Any(n => n.Role == NodeRole.Network) ? new string[0] : spec.Plates.Select(p => p.Name).Where(plate => IsExchangeable(spec, plate)).ToList();

        private static bool IsExchangeable(ModelSpec spec, string plate)
        {
            var touching = spec.Nodes.Where(n => n.Indices.Any(i => i.Plate == plate) || n.IndexPlate == plate).ToList();
            // Only an allocation (a latent taking the plate's entries as values) or a sum of latent factors over the plate
            // makes the posterior multimodal by relabelling; a plate merely symmetric in its prior has one mode, whose
            // marginals relabelling would distort.
            if (!touching.Any(n => n.Role == NodeRole.Latent && n.IndexPlate == plate) && !SumsLatentFactors(spec, plate)) return false;
            // A node over the plate twice (a transition matrix) would need both axes permuted together: not aligned.
            if (touching.Any(n => n.Role is not (NodeRole.Latent or NodeRole.Deterministic) || n.Declaration.Constraints.Ordered || n.Indices.Count(i => i.Plate == plate) > 1))
                return false;
            var expressions = spec.Nodes.SelectMany(n => (n.Declaration.Distribution?.Arguments.Select(a => a.Value) ?? Enumerable.Empty<Expr>())
                .Concat(n.Declaration.Body is { } body ? new[] { body } : new Expr[0]));
            return !expressions.SelectMany(ExprTools.Subexpressions).OfType<PlateConstantExpr>().Any(c => c.Plate == plate);
        }

        /// <summary>
        /// Whether an observation reads the plate through a sum whose terms multiply two or more latents over it, as a
        /// factor model does (Σ_k loading(g, k)·score(c, k), Poisson factorisation): the data see only the sum, so every
        /// permutation of k applied to all the factors at once fits them equally well.
        /// </summary>
        private static bool SumsLatentFactors(ModelSpec spec, string plate) =>
            spec.Nodes.Where(n => n.Role == NodeRole.Observed && n.Declaration.Distribution is not null)
                .SelectMany(n => n.Declaration.Distribution!.Arguments.Select(a => ExprTools.Inline(a.Value, spec)))
                .SelectMany(ExprTools.Subexpressions).OfType<SumExpr>().Where(sum => sum.Over.Plate == plate)
                .Any(sum => ExprTools.Calls(sum.Over.Body).Select(c => ExprTools.Find(spec, c.Node)).Where(n => n is { Role: NodeRole.Latent } && n.Indices.Any(i => i.Plate == plate))
                    .Select(n => n!.Name).Distinct().Count() >= 2);
    }
}
