using System.Collections.Generic;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Normal–Normal. Prior θ ~ Normal(m, s); each child y ~ Normal(a + b·θ, σ) (or log y, for a log-normal child
    /// with log-mean a + b·θ), with a, b and σ free of θ. Then
    /// θ | rest ~ Normal(h/P, 1/√P), P = 1/s² + Σ b²/σ², h = m/s² + Σ b·(y − a)/σ².
    /// This covers a hierarchy's group means (children that are latents themselves), an intercept, a slope on a
    /// covariate, and a random effect read through a data index; b is the symbolic derivative of the child's mean in
    /// θ, and the mean is affine where that derivative is free of θ.
    /// </summary>
    internal static class NormalMeanEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
        {
            var (m, s) = (ExprTools.Argument(latent, "mean", spec)!, ExprTools.Argument(latent, "sd", spec)!);
            var priorPrecision = Precision(s);
            var children = Collect(reads, read =>
            {
                if (NormalArguments(spec, read) is not var (mean, sd) || !ReadsLocation(read)) return null;
                var slope = Derivative(mean, read.Call);
                if (ExprTools.Mentions(slope, latent.Name)) return null;
                var precision = Precision(sd);
                // a: the mean with θ set to 0 (the mean is affine in θ, so this is the part free of θ).
                var residual = Subtract(NormalValue(read), Fold(ExprTools.ReplaceCalls(mean, latent.Name, Constant(0, mean))));
                return new ChildStatistics(read.Child.Name, read.Call, Multiply(Multiply(slope, slope), precision), Multiply(Multiply(slope, residual), precision));
            }, $"a mean affine in it, a + b·{latent.Name}, of a Normal or log-normal", out why);
            return children is null ? null : new ConjugateUpdate(latent.Name, "Normal–Normal", "Normal(h/P, 1/√P), P = 1/s² + Σ b²/σ², h = m/s² + Σ b·(y − a)/σ²",
                ConjugateFamily.Normal, priorPrecision, Multiply(m, priorPrecision), null, children.Value);
        }
    }
}
