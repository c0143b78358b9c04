using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Pseudo-counts on a [Simplex] parameter: a Dirichlet prior over the plate the simplex runs along. Every engine
    /// takes it; Gibbs-EM and variational inference also need its concentration free of parameters and latents, so
    /// that its normaliser is constant and the term is Σ (c − 1) log P.
    /// </summary>
    internal static class SimplexPriors
    {
        /// <summary>Whether the parameter's prior is a Dirichlet over its own [Simplex] plate.</summary>
        public static bool IsOverOwnSimplex(NodeSpec node) =>
            node.Declaration.Distribution is { Name: "Dirichlet" } prior && node.Declaration.Constraints.SimplexOver is { } over &&
            node.Indices.Any(i => i.Plate == over && (i.Variable == prior.Over || i.Plate == prior.Over));

        /// <summary>Whether the prior's concentration reads constants and data only.</summary>
        public static bool ConcentrationIsConstant(ModelSpec spec, NodeSpec node) =>
            ExprTools.ArgumentsAt(spec, node, ExprTools.OwnCall(node)).SelectMany(ExprTools.Calls).All(c => ExprTools.Find(spec, c.Node)!.Role == NodeRole.Data);
    }
}
