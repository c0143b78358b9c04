using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Integrates a Gamma latent out of the one Poisson count it scales, which leaves a negative binomial:
    /// <code>
    ///   w ~ Gamma(a, b),  y | w ~ Poisson(e·w)   ⇒   y ~ NegativeBinomial(mean: e·a/b, inverseDispersion: a)
    /// </code>
    /// since ∫ Poisson(y; e·w) Gamma(w; a, b) dw = Γ(y+a) / (Γ(a) y!) · (b/(b+e))^a · (e/(b+e))^y, the negative binomial
    /// of mean e·a/b and inverse dispersion a. Where the rate is written through the mean, b = a/m (scVI's eq 4,
    /// w ~ Gamma(θ, θ/(l·ρ))), the mean is e·m. Variational inference applies it before planning: a latent over the
    /// cells and genes with no encoder has no amortised posterior, and this one needs none. The rule matches structure:
    /// a [Latent] with a Gamma prior and no encoder, read by exactly one node, an observed Poisson, as one factor of its
    /// rate at the observation's own entry, the rest of that rate (the exposure e) and the prior free of the latent.
    /// The fit then reports nothing for the latent (its posterior, Gamma(a + y, b + e), is left to the user).
    /// </summary>
    public static class GammaPoissonCollapse
    {
        /// <summary>The model with every such latent integrated out, and their names (empty, and the model itself, where none is).</summary>
        public static (ModelSpec Spec, EquatableArray<string> Collapsed) Apply(ModelSpec spec)
        {
            var collapsed = new List<string>();
            foreach (var latent in spec.Nodes.Where(n => n.Role == NodeRole.Latent && n.Declaration.Encoder is null && n.Declaration.Distribution?.Name == "Gamma").ToList())
                if (Collapse(spec, latent) is { } rewritten)
                {
                    spec = rewritten;
                    collapsed.Add(latent.Name);
                }
            return (spec, collapsed.ToEquatableArray());
        }

        private static ModelSpec? Collapse(ModelSpec spec, NodeSpec latent)
        {
            var readers = spec.Nodes.Where(n => n.Parents.Contains(latent.Name)).ToList();
            if (readers.Count != 1 || readers[0] is not { Role: NodeRole.Observed, Declaration.Distribution: { Name: "Poisson" } poisson } count) return null;
            if (count.Declaration.Constraints.Missing is not null) return null;
            var rate = ExprTools.Argument(count, "rate", spec);
            if (rate is null || ExprTools.AffineSplit(rate, latent.Name) is not { Factor: NodeCallExpr call } split) return null;
            // The count reads the latent at its own entry, every index of the latent bound to one of the count's.
            if (call.Node != latent.Name || call.Indices.Count != latent.Indices.Count || count.Indices.Count != latent.Indices.Count) return null;
            if (!call.Indices.All(i => i is IndexExpr index && count.Indices.Any(c => c.Variable == index.Name))) return null;
            if (call.Indices.Select(i => ((IndexExpr)i).Name).Distinct().Count() != call.Indices.Count) return null;
            if (ExprTools.Mentions(split.Cofactor, latent.Name)) return null;
            var bindings = ExprTools.Bindings(latent, call);
            var shape = ExprTools.Substitute(ExprTools.Argument(latent, "shape", spec)!, bindings);
            var inverseRate = ExprTools.Argument(latent, "rate", spec) is { } rateOfPrior ? ExprTools.Substitute(rateOfPrior, bindings) : null;
            if (inverseRate is null || ExprTools.Mentions(shape, latent.Name) || ExprTools.Mentions(inverseRate, latent.Name)) return null;
            var mean = inverseRate is BinaryExpr { Operator: '/' } ratio && ExprTools.SameShape(ratio.Left, shape)
                ? ratio.Right
                : new BinaryExpr('/', shape, inverseRate, shape.Location);
            var exposure = split.Cofactor is ConstantExpr { Value: 1 } ? mean : new BinaryExpr('*', split.Cofactor, mean, rate.Location);
            var location = poisson.Location;
            var negativeBinomial = new DistributionDecl("NegativeBinomial", null, EquatableArray.Of(
                new ArgumentDecl("mean", exposure, location),
                new ArgumentDecl("inverseDispersion", shape, location)), location);
            var parents = count.Parents.Where(p => p != latent.Name).Concat(latent.Parents).Distinct().ToEquatableArray();
            var rewritten = count with { Declaration = count.Declaration with { Distribution = negativeBinomial }, Parents = parents };
            return spec with { Nodes = spec.Nodes.Where(n => n != latent).Select(n => n == count ? rewritten : n).ToEquatableArray() };
        }
    }
}
