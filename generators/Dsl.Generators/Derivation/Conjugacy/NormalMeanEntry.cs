using System.Collections.Generic;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Normal–Normal. Prior θ ~ Normal(m, s), or flat (1/s² = 0); each child y ~ Normal(a + b·θ, σ) (or log y, for a log-normal child
    /// with log-mean a + b·θ), with a, b and σ free of θ. Then
    /// θ | rest ~ Normal(h/P, 1/√P), P = 1/s² + Σ b²/σ², h = m/s² + Σ b·(y − a)/σ².
    /// This covers a hierarchy's group means (children that are latents themselves), an intercept, a slope on a
    /// covariate, and a random effect read through a data index; b is the symbolic derivative of the child's mean in
    /// θ, and the mean is affine where that derivative is free of θ. A Bernoulli or Binomial child whose logit is
    /// affine in θ enters the same way through its Pólya-Gamma variable ω (<see cref="Augmentation"/>): y = κ/ω,
    /// 1/σ² = ω, so P gains b²ω and h gains b·(κ − ω·a).
    /// </summary>
    internal static class NormalMeanEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
        {
            var (m, priorPrecision) = NormalPrior(spec, latent)!.Value;
            var children = Collect(reads, read =>
            {
                if (Gaussian(spec, read.Child) is not { } child || read.Argument != child.Argument) return null;
                var slope = Derivative(child.Mean, read.Call);
                if (ExprTools.Mentions(slope, latent.Name)) return null;
                // a: the mean with θ set to 0 (the mean is affine in θ, so this is the part free of θ).
                var residual = Subtract(child.Value, Fold(ExprTools.ReplaceCalls(child.Mean, latent.Name, Constant(0, child.Mean))));
                return new ChildStatistics(read.Child.Name, read.Call, Multiply(Multiply(slope, slope), child.Precision), Multiply(Multiply(slope, residual), child.Precision), child.Augment);
            }, $"a location affine in it, a + b·{latent.Name}, of a Normal, a log-normal or a logit", out why);
            return children is null ? null : new ConjugateUpdate(latent.Name, "Normal–Normal", "Normal(h/P, 1/√P), P = 1/s² + Σ b²/σ², h = m/s² + Σ b·(y − a)/σ²",
                ConjugateFamily.Normal, priorPrecision, Multiply(m, priorPrecision), null, children.Value);
        }
    }
}
