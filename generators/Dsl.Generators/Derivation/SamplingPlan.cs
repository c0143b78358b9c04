using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>How a latent's support is mapped to the whole real line, where the sampler moves.</summary>
    public enum LatentTransform
    {
        /// <summary>Reals: x = u.</summary>
        Identity,

        /// <summary>Positive reals: x = exp(u), log Jacobian u.</summary>
        Log,

        /// <summary>(0, 1): x = logistic(u), log Jacobian log x + log(1 - x).</summary>
        Logit,

        /// <summary>(lower, upper): x = lower + (upper - lower)·logistic(u).</summary>
        Interval,

        /// <summary>Increasing along the last plate: x₀ = u₀, x_k = x_{k-1} + exp(u_k), log Jacobian Σ_{k≥1} u_k.</summary>
        Ordered,

        /// <summary>Positive and increasing along the last plate (Stan's positive_ordered): x₀ = exp(u₀), x_k = x_{k-1} + exp(u_k), log Jacobian Σ_k u_k.</summary>
        PositiveOrdered,

        /// <summary>
        /// A simplex along the Dirichlet's <c>over</c> plate by stick-breaking (Stan's): K − 1 free coordinates a row,
        /// z_k = logistic(u_k − log(K − k − 1)), x_k = z_k·(1 − Σ_{j&lt;k} x_j), the last entry the stick left.
        /// </summary>
        Simplex,
    }

    /// <summary>A latent the sampler moves: its transform, and the bounds of an interval (expressions of data only).</summary>
    public sealed record SampledLatent(string Node, LatentTransform Transform, Expr? Lower, Expr? Upper);

    /// <summary>A discrete latent summed out of the log density, with the observed nodes that read it (see SummedLatents).</summary>
    public sealed record SummedLatent(string Node, EquatableArray<string> Children);

    /// <summary>
    /// Gradient-based sampling (NUTS) of every latent jointly on the unconstrained scale. The log density is the sum of
    /// one term per random node (each latent's prior and each observed node's likelihood) plus the transforms' log
    /// Jacobians; its gradient is emitted in reverse mode from the same expressions, with respect to the latents and
    /// to the <see cref="Parameters"/>, which the engine point-estimates by stochastic-approximation EM.
    /// </summary>
    /// <param name="Terms">the random nodes whose log densities are summed entry by entry (not those of <paramref name="Summed"/>)</param>
    public sealed record SamplingPlan(EquatableArray<SampledLatent> Latents, EquatableArray<SummedLatent> Summed, EquatableArray<string> Parameters, EquatableArray<string> Terms);
}
