using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Plans maximum likelihood for a model whose unknowns are all [Param]s (deepMc's factors, NMF, a GLM without
    /// priors): the objective is the sum of the observations' log densities over their measured entries, the same
    /// entry-by-entry terms and reverse-mode gradients NUTS uses, with no latent coordinates. The optimiser moves each
    /// parameter on its unconstrained scale (the log above a [Positive] floor, a softmax along a [Simplex] plate).
    /// </summary>
    public static class PointEstimationPlanner
    {
        /// <summary>No latents and no networks (those are the other engines'), some parameter to estimate and data to fit it to.</summary>
        public static bool Applies(ModelSpec spec) =>
            !spec.Nodes.Any(n => n.Role == NodeRole.Latent) && !VariationalPlanner.Applies(spec)
            && spec.Nodes.Any(n => n.Role == NodeRole.Param) && spec.Nodes.Any(n => n.Role == NodeRole.Observed);

        public static Result<SamplingPlan> Plan(ModelSpec spec) => SamplingPlanner.Plan(spec, pointEstimation: true);
    }
}
