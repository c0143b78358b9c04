using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// A scalar latent that no exact entry covers (a half-Cauchy scale, a Gamma shape, a coefficient read through
    /// Exp): slice sampling (Neal 2003) of its full conditional on the unconstrained scale u, log p(x | rest) =
    /// log prior(x) + Σ_children log p(child | x) + log |dx/du|, with x = exp(u) for a positive latent, logistic(u)
    /// on (0, 1), an interval's scaled logistic, or u itself. Each child's term is its distribution's log density
    /// at the current values of the rest, so every child with a scalar density qualifies; a vector child (a
    /// Dirichlet or multinomial row) or a categorical one does not.
    /// </summary>
    internal static class SliceEntry
    {
        public static SliceUpdate? Match(ModelSpec spec, NodeSpec latent, out string? why)
        {
            why = latent.Indices.Count > 0 ? "slice steps are taken for scalar latents only (a vector's entries would each need their own scan of the children)"
                : latent.Declaration.Constraints.Ordered ? "an [Ordered] latent's conditional is truncated to increasing rows"
                : SamplingPlanner.LatentProblem(spec, latent);
            if (why is not null) return null;
            var children = MarkovBlanket.Children(spec, latent.Name);
            if (children.FirstOrDefault(c => DistributionCatalog.Find(c.Declaration.Distribution!.Name) is not { IsVector: false } info
                || info.Draws == Support.Category || !SamplingPlanner.Density(c)) is { } vector)
            {
                why = $"child '{vector.Name}' is a Dist.{vector.Declaration.Distribution!.Name}, whose log density the slice step does not evaluate entry by entry";
                return null;
            }
            return new SliceUpdate(SamplingPlanner.Sampled(spec, latent), children.Select(c => c.Name).ToEquatableArray());
        }
    }
}
