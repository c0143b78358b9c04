using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Allocation augmentation (URSM eq 3.1-3.3, and Poisson factorisation's latent counts), as a catalogue entry over a
    /// child that reads the latent inside a sum over a plate k:
    /// <list type="bullet">
    /// <item>y ~ Poisson(e·Σ_k t_k): y is the sum of independent y_k ~ Poisson(e·t_k);</item>
    /// <item>y(·, v) ~ Multinomial over v with p_v = Σ_k a(v, k)·b(k), a(·, k) a simplex along v and b a simplex along
    /// k (so Σ_v p_v = 1): each count is a sum of counts y_k(v) ~ Multinomial(p = a(v, k)·b(k)) over (v, k).</item>
    /// </list>
    /// Given y, the split (y_k)_k ~ Multinomial(y, t_k / Σ_j t_j) at the current values; given the split, each term is
    /// an ordinary child of what it reads at one entry (a Gamma rate's pseudo-count y_k with exposure the term's other
    /// factors; a Dirichlet's count y_k on the entry it reads). Each update draws its own split first, as a Pólya-Gamma
    /// variable is drawn: the pair (split, latent) is one blocked draw, so the chain keeps the posterior.
    /// </summary>
    /// <param name="Over">the sum's plate and variable, k</param>
    /// <param name="Total">the child's count at its entry, the split's trials</param>
    /// <param name="Term">t_k (with any factor outside the sum), over the child's variables and k</param>
    public sealed record AllocationSplit(IndexDecl Over, Expr Total, Expr Term)
    {
        /// <summary>The bound variable the statistics read: y_k, the count allocated to the term k.</summary>
        public const string Variable = "ldAllocated";

        /// <summary>
        /// The split of a Poisson's rate or a Multinomial's probabilities that reads <paramref name="latent"/> inside a
        /// sum, or null with the reason it has none.
        /// </summary>
        internal static AllocationSplit? Find(ModelSpec spec, NodeSpec child, string argument, Expr value, string latent, out string? why)
        {
            why = null;
            var distribution = child.Declaration.Distribution!.Name;
            if ((distribution, argument) is not (("Poisson", "rate") or ("Multinomial", "p")))
            {
                why = $"child '{child.Name}' reads it inside a sum over a plate, which only a Poisson's rate or a Multinomial's probabilities split into allocations";
                return null;
            }
            var factors = Factors(value).ToList();
            var sums = factors.OfType<SumExpr>().ToList();
            if (sums.Count != 1 || factors.Where(f => f is not SumExpr).Any(f => ExprTools.Mentions(f, latent)))
            {
                why = $"child '{child.Name}' reads it inside a sum that is not one factor of its {argument}, so its entries are not conditionally independent";
                return null;
            }
            var sum = sums[0].Over;
            var over = new IndexDecl(sum.Variable, sum.Plate, sum.Location);
            var term = factors.Where(f => f is not SumExpr).Aggregate(sum.Body, (product, factor) => Differentiation.Multiply(factor, product));
            if (distribution == "Multinomial" && !Normalised(spec, sum, DirichletEntry.VectorIndex(child).Variable, out why))
            {
                why = $"child '{child.Name}': {why}";
                return null;
            }
            return new AllocationSplit(over, ExprTools.OwnCall(child), term);
        }

        /// <summary>The bound variable y_k as an expression (read like an index variable).</summary>
        public static Expr Allocated(Expr anchor) => new IndexExpr(Variable, anchor.Location);

        /// <summary>
        /// Σ_v Σ_k body = 1 whatever the values: body = a(…v…, k)·b(…k…), a a simplex along v and b one along k that does
        /// not read v. Then the multinomial's normaliser is 1, and the split's counts are the only data on a and b.
        /// </summary>
        private static bool Normalised(ModelSpec spec, LambdaExpr sum, string along, out string? why)
        {
            why = null;
            var factors = Factors(sum.Body).ToList();
            var calls = factors.OfType<NodeCallExpr>().ToList();
            if (factors.Count == 2 && calls.Count == 2
                && (IsSimplexAlong(spec, calls[0], along) && IsSimplexAlong(spec, calls[1], sum.Variable) && !ExprTools.UsesIndex(calls[1], along)
                    || IsSimplexAlong(spec, calls[1], along) && IsSimplexAlong(spec, calls[0], sum.Variable) && !ExprTools.UsesIndex(calls[0], along)))
                return true;
            why = $"its probabilities are a sum over {sum.Plate} that is not a simplex along its own plate times a simplex along {sum.Plate}, so they would not sum to one";
            return false;
        }

        /// <summary>A Dirichlet node, or a [Simplex] one, read with <paramref name="variable"/> at its simplex position.</summary>
        private static bool IsSimplexAlong(ModelSpec spec, NodeCallExpr call, string variable)
        {
            var node = ExprTools.Find(spec, call.Node);
            if (node is null) return false;
            var position = node.Declaration.Distribution?.Name == "Dirichlet"
                ? node.Indices.ToList().IndexOf(DirichletEntry.VectorIndex(node))
                : node.Declaration.Constraints.Simplex ? node.Indices.ToList().FindIndex(i => i.Plate == node.Declaration.Constraints.SimplexOver) : -1;
            return position >= 0 && call.Indices[position] is IndexExpr { Name: var name } && name == variable;
        }

        private static IEnumerable<Expr> Factors(Expr e) =>
            e is BinaryExpr { Operator: '*' } product ? Factors(product.Left).Concat(Factors(product.Right)) : new[] { e };
    }
}
