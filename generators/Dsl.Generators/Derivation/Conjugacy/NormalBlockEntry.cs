using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Normal linear predictor, jointly. Latents β₁..β_D with Normal priors N(m_d, s_d) (or flat ones, 1/s² = 0) that are the coefficients of
    /// one linear predictor: each child y ~ Normal(a + Σ_d b_d·β_d, σ) (or log y for a log-normal child), with a, b and
    /// σ free of the β's, where a term is a coefficient times a latent, or a Sum over a plate of a design entry times a
    /// vector latent along that plate. Then β | rest ~ Normal(Λ⁻¹h, Λ⁻¹), Λ = diag(1/s²) + Σ b bᵀ/σ²,
    /// h = m/s² + Σ b (y − a)/σ²: drawn jointly, so an intercept and a slope on an uncentred covariate, correlated a
    /// posteriori, are not moved one at a time. Coordinates are scalar latents and vector latents read inside a Sum;
    /// a random effect read at one entry per observation stays with <see cref="NormalMeanEntry"/>, whose entries are
    /// conditionally independent, so a block's size is the design's width, not the number of groups. A logistic
    /// regression's coefficients form a block the same way, each Bernoulli or Binomial child entering through its
    /// Pólya-Gamma variable as a Normal pseudo-observation κ/ω of its logit with precision ω (<see cref="Augmentation"/>).
    /// </summary>
    internal static class NormalBlockEntry
    {
        /// <summary>The blocks of a model, and for latents that need one but cannot have it, the reason (by latent).</summary>
        public static List<NormalBlock> Find(ModelSpec spec, Dictionary<string, string> refused)
        {
            var candidates = spec.Nodes.Where(n => n.Role == NodeRole.Latent && n.Kind == ValueKind.Real && NormalPrior(spec, n) is not null && !n.Declaration.Constraints.Ordered)
                .Select(n => n.Name).ToList();
            var group = candidates.ToDictionary(c => c, c => c);
            string Root(string c) => group[c] == c ? c : group[c] = Root(group[c]);
            var summed = new HashSet<string>();
            foreach (var child in spec.Nodes.Where(n => n.Declaration.Distribution is not null))
            {
                if (Gaussian(spec, child) is not { } view) continue;
                var location = view.Mean;
                var members = candidates.Where(c => ExprTools.Mentions(location, c) && (IsScalar(spec, c) || ReadInSum(location, c))).ToList();
                foreach (var member in members.Where(m => ReadInSum(location, m))) summed.Add(member);
                foreach (var member in members.Skip(1)) group[Root(member)] = Root(members[0]);
            }
            var blocks = new List<NormalBlock>();
            foreach (var component in candidates.Where(c => IsScalar(spec, c) || summed.Contains(c)).GroupBy(Root))
            {
                var members = component.ToList();
                if (members.Count < 2 && !summed.Contains(members[0])) continue;
                var block = Build(spec, members, out var why);
                if (block is not null) blocks.Add(block);
                // A block that cannot be formed leaves its latents to the single-site entries, unless a Sum reads one (whose entries are then coupled).
                else foreach (var member in members.Where(summed.Contains)) refused[member] = why!;
            }
            return blocks;
        }

        private static bool IsScalar(ModelSpec spec, string latent) => ExprTools.Find(spec, latent)!.Indices.Count == 0;

        private static bool ReadInSum(Expr expr, string latent) => expr switch
        {
            SumExpr sum => ExprTools.Mentions(sum.Over.Body, latent),
            FunctionExpr f => f.Arguments.Any(a => ReadInSum(a, latent)),
            BinaryExpr b => ReadInSum(b.Left, latent) || ReadInSum(b.Right, latent),
            NegateExpr n => ReadInSum(n.Operand, latent),
            _ => false,
        };

        private static NormalBlock? Build(ModelSpec spec, List<string> members, out string? why)
        {
            why = null;
            var names = string.Join(", ", members);
            var priors = new List<BlockMember>();
            foreach (var member in members.Select(m => ExprTools.Find(spec, m)!))
            {
                var (mean, precision) = NormalPrior(spec, member)!.Value;
                if (members.Any(m => ExprTools.Mentions(mean, m) || ExprTools.Mentions(precision, m)))
                {
                    why = $"the coefficients {names} of one linear predictor are drawn jointly, but the prior of '{member.Name}' reads another of them";
                    return null;
                }
                priors.Add(new BlockMember(member.Name, mean, precision));
            }
            var children = new List<BlockChild>();
            foreach (var child in spec.Nodes.Where(n => n.Declaration.Distribution is { } d && d.Arguments.Any(a => members.Any(m => ExprTools.Mentions(ExprTools.Inline(a.Value, spec), m)))))
            {
                var view = Gaussian(spec, child);
                if (view is null || members.Any(m => ExprTools.Mentions(view.Precision, m)))
                {
                    why = $"the coefficients {names} of one linear predictor are drawn jointly, but child '{child.Name}' reads them other than in a Normal's mean or a logit";
                    return null;
                }
                var location = view.Mean;
                var terms = new List<BlockTerm>();
                var free = new List<Expr>();
                foreach (var term in ExprTools.Terms(location))
                {
                    var (sign, body) = term is NegateExpr negated ? (-1.0, negated.Operand) : (1.0, term);
                    if (!members.Any(m => ExprTools.Mentions(body, m))) { free.Add(term); continue; }
                    var read = Term(spec, members, body, sign);
                    if (read is null)
                    {
                        why = $"the coefficients {names} are drawn jointly, but child '{child.Name}' does not read them as a linear predictor, a sum of coefficient × latent terms: {Emit.ExprPrinter.Print(term)}";
                        return null;
                    }
                    terms.Add(read);
                }
                var freePart = free.Count == 0 ? Constant(0, location) : Fold(free.Skip(1).Aggregate(free[0], (a, b) => new BinaryExpr('+', a, b, a.Location)));
                children.Add(new BlockChild(child.Name, view.Value, freePart, view.Precision, terms.ToEquatableArray(), view.Augment));
            }
            return new NormalBlock(priors.ToEquatableArray(), children.ToEquatableArray());
        }

        /// <summary>c·β(...) (c free of the block), or Sum over j of c(j)·β(..j..): one term of the linear predictor.</summary>
        private static BlockTerm? Term(ModelSpec spec, List<string> members, Expr body, double sign)
        {
            IndexDecl? over = null;
            if (body is SumExpr sum)
            {
                over = new IndexDecl(sum.Over.Variable, sum.Over.Plate, sum.Location);
                body = sum.Over.Body;
            }
            var mentioned = members.Where(m => ExprTools.Mentions(body, m)).ToList();
            if (mentioned.Count != 1 || ExprTools.AffineCofactor(body, mentioned[0]) is not { } coefficient) return null;
            var read = ExprTools.Calls(body).First(c => c.Node == mentioned[0]);
            // Inside a sum the latent must be read along the sum's variable: one coordinate per term of the sum.
            if (over is not null && !read.Indices.Any(i => ExprTools.UsesIndex(i, over.Variable))) return null;
            return new BlockTerm(read, sign < 0 ? Multiply(Constant(-1, coefficient), coefficient) : coefficient, over);
        }
    }
}
