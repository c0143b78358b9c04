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
    /// Finite discrete latents (a mixture's allocations) are summed out of the likelihood entry by entry, so the
    /// objective is the marginal likelihood EM climbs, maximised directly.
    /// </summary>
    public static class PointEstimationPlanner
    {
        /// <summary>
        /// No continuous latents the data inform (those are a sampler's; one no observation depends on is left out) and
        /// no networks (the variational engine's), some parameter to estimate and data to fit it to. Discrete latents
        /// are allowed: the plan sums them out or says why it cannot.
        /// </summary>
        public static bool Applies(ModelSpec spec)
        {
            var uninformed = DataReach.Uninformed(spec);
            return !spec.Nodes.Any(n => n.Role == NodeRole.Latent && n.Kind == ValueKind.Real && !uninformed.Contains(n.Name)) && !VariationalPlanner.Applies(spec)
                && spec.Nodes.Any(n => n.Role == NodeRole.Param) && spec.Nodes.Any(n => n.Role == NodeRole.Observed);
        }

        public static Result<SamplingPlan> Plan(ModelSpec spec) => SamplingPlanner.Plan(spec, pointEstimation: true);
    }
}
