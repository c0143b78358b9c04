using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Dirichlet–Multinomial and Dirichlet–Categorical. Prior θ(·, k) ~ Dirichlet over k with concentration α_k; each
    /// child is a Multinomial over its own plate with p = θ(·, j), or a Categorical with p = (k) =&gt; θ(·, k):
    /// θ(·, ·) | rest ~ Dirichlet(α_k + n_k), n_k the counts (a Multinomial's entries, a Categorical's outcomes) that
    /// fall on entry k of that row of θ.
    /// </summary>
    internal static class DirichletEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
        {
            var over = VectorIndex(latent);
            var position = latent.Indices.ToList().IndexOf(over);
            var children = Collect(reads, read =>
            {
                // A split Multinomial (AllocationSplit checked that θ is a simplex along the axis it is read on) counts
                // its allocated count on the entry the term reads.
                if (read.Split is not null)
                    return read.Child.Declaration.Distribution!.Name == "Multinomial" ? new ChildStatistics(read.Child.Name, read.Call, read.Own, null) : null;
                var distribution = read.Child.Declaration.Distribution!;
                var along = distribution.Name == "Multinomial" ? VectorIndex(read.Child).Variable : read.Category;
                if (distribution.Name is not ("Multinomial" or "Categorical") || read.Argument != "p" || !ExprTools.SameShape(read.Value, read.Call)
                    || read.Call.Indices[position] is not IndexExpr { Name: var variable } || variable != along
                    || read.Call.Indices.Where((_, i) => i != position).Any(i => ExprTools.UsesIndex(i, along!)))
                    return null;
                // A Categorical's outcome picks the entry it counts on; a Multinomial counts its entries where they fall.
                return distribution.Name == "Categorical"
                    ? new ChildStatistics(read.Child.Name, read.Call with { Indices = read.Call.Indices.Select((index, i) => i == position ? read.Own : index).ToEquatableArray() },
                        Constant(1, read.Value), null)
                    : new ChildStatistics(read.Child.Name, read.Call, read.Own, null);
            }, "the probabilities of a Multinomial over its plate or of a Categorical", out why);
            return children is null ? null : new ConjugateUpdate(latent.Name, "Dirichlet–Multinomial", "Dirichlet(α + n), n the counts on each entry", ConjugateFamily.Dirichlet,
                ExprTools.Argument(latent, "concentration", spec)!, null, over.Variable, children.Value);
        }

        /// <summary>The index a Dirichlet or Multinomial node is a vector along (its Over names the variable or the plate).</summary>
        public static IndexDecl VectorIndex(NodeSpec node) =>
            node.Indices.First(i => i.Variable == node.Declaration.Distribution!.Over || i.Plate == node.Declaration.Distribution!.Over);
    }
}
