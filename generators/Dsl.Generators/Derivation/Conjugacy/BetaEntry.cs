using System.Collections.Generic;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Beta–Bernoulli and Beta–Binomial. Prior θ ~ Beta(a, b), or Uniform(0, 1) as Beta(1, 1); each child y ~ Bernoulli(p: θ) or Binomial(n, p: θ):
    /// θ | rest ~ Beta(a + Σ y, b + Σ (n − y)), n = 1 for a Bernoulli.
    /// </summary>
    internal static class BetaEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why) =>
            Match(spec, latent, reads, ExprTools.Argument(latent, "a", spec)!, ExprTools.Argument(latent, "b", spec)!, out why);

        /// <summary>A Uniform(0, 1) prior is Beta(1, 1); on any other interval the conditional is a truncated Beta, which has no entry.</summary>
        public static ConjugateUpdate? MatchUniform(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
        {
            if (ExprTools.Argument(latent, "lower", spec) is ConstantExpr { Value: 0 } lower && ExprTools.Argument(latent, "upper", spec) is ConstantExpr { Value: 1 })
                return Match(spec, latent, reads, Constant(1, lower), Constant(1, lower), out why);
            why = "a Uniform prior has an exact update only on (0, 1), as Beta(1, 1)";
            return null;
        }

        private static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, Expr a, Expr b, out string? why)
        {
            var children = Collect(reads, read =>
            {
                var trials = read.Child.Declaration.Distribution!.Name switch
                {
                    "Bernoulli" => Constant(1, read.Value),
                    "Binomial" => read.Other(spec, "trials"),
                    _ => null,
                };
                return trials is null || read.Argument != "p" || !ExprTools.SameShape(read.Value, read.Call) ? null
                    : new ChildStatistics(read.Child.Name, read.Call, read.Own, Subtract(trials, read.Own));
            }, $"the probability p: {latent.Name}(...) of a Bernoulli or Binomial", out why);
            return children is null ? null : new ConjugateUpdate(latent.Name, "Beta–Binomial", "Beta(a + Σ y, b + Σ (n − y))", ConjugateFamily.Beta, a, b, null, children.Value);
        }
    }
}
