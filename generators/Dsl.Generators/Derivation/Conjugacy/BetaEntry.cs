using System.Collections.Generic;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Beta–Bernoulli and Beta–Binomial. Prior θ ~ Beta(a, b); each child y ~ Bernoulli(p: θ) or Binomial(n, p: θ):
    /// θ | rest ~ Beta(a + Σ y, b + Σ (n − y)), n = 1 for a Bernoulli.
    /// </summary>
    internal static class BetaEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
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
            return children is null ? null : new ConjugateUpdate(latent.Name, "Beta–Binomial", "Beta(a + Σ y, b + Σ (n − y))", ConjugateFamily.Beta,
                ExprTools.Argument(latent, "a", spec)!, ExprTools.Argument(latent, "b", spec)!, null, children.Value);
        }
    }
}
