using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Plans NUTS for a model of latents and no networks (a Gibbs-EM candidate) that no Gibbs-EM rule claims: each
    /// latent needs to be continuous, with a prior that has a log density and a support the sampler can map to the
    /// real line; each observed node a scalar likelihood with a log density; each parameter real values
    /// (unconstrained, [Positive] or [Simplex]). Every expression of the DSL is differentiable, so nothing else is asked. The
    /// first node that stops it is reported.
    /// </summary>
    public static class SamplingPlanner
    {
        /// <summary>Distributions the runtime's LogDensity holds, with partials in every argument.</summary>
        private static readonly HashSet<string> densities = new()
        {
            "Normal", "LogNormal", "Gamma", "InverseGamma", "Beta", "Flat", "HalfFlat", "Uniform", "HalfNormal", "Cauchy", "HalfCauchy", "StudentT", "HalfStudentT",
            "Exponential", "Poisson", "Bernoulli", "Binomial", "NegativeBinomial", "ZeroInflatedNegativeBinomial", "Dirichlet", "Multinomial", "Categorical",
        };

        /// <param name="pointEstimation">planning the log likelihood of a model of parameters only, for maximum likelihood: its refusals are DSL0405</param>
        public static Result<SamplingPlan> Plan(ModelSpec spec, bool pointEstimation = false)
        {
            var refusal = pointEstimation ? DiagnosticDescriptors.NoPointEstimationRule : DiagnosticDescriptors.NoSamplingRule;
            var latents = new List<SampledLatent>();
            var summed = new List<SummedLatent>();
            // A sampler draws a node no observation depends on from its prior; maximum likelihood leaves it out.
            var left = pointEstimation ? DataReach.Uninformed(spec) : new HashSet<string>();
            foreach (var node in spec.Nodes.Where(n => !left.Contains(n.Name)))
            {
                List<NodeSpec>? children = null;
                var why = node.Role switch
                {
                    NodeRole.Param => ParameterProblem(node),
                    NodeRole.Latent when node.Kind != ValueKind.Real => SummedLatents.Problem(spec, node, out children),
                    NodeRole.Latent => LatentProblem(spec, node),
                    NodeRole.Observed => ObservedProblem(node),
                    _ => null,
                };
                if (why is not null)
                    return new Result<SamplingPlan>(null, EquatableArray.Of(DiagnosticInfo.Create(refusal, node.Declaration.Location, spec.ClassName, node.Name, why)));
                if (children is not null) summed.Add(new SummedLatent(node.Name, children.Select(c => c.Name).ToEquatableArray()));
                else if (node.Role == NodeRole.Latent) latents.Add(Sampled(spec, node));
            }
            var inSums = new HashSet<string>(summed.SelectMany(s => s.Children.Append(s.Node)));
            // Every random node's log density, and each parameter's log prior where it declares one (a MAP estimate).
            var terms = spec.Nodes.Where(n => !left.Contains(n.Name))
                .Where(n => n.Role is NodeRole.Latent or NodeRole.Observed && !inSums.Contains(n.Name) || n.Role == NodeRole.Param && n.Declaration.Distribution is not null)
                .Select(n => n.Name).ToEquatableArray();
            var parameters = spec.Nodes.Where(n => n.Role == NodeRole.Param && !left.Contains(n.Name)).Select(n => n.Name).ToEquatableArray();
            return new Result<SamplingPlan>(new SamplingPlan(latents.ToEquatableArray(), summed.ToEquatableArray(), parameters, terms), EquatableArray<DiagnosticInfo>.Empty);
        }

        /// <summary>
        /// A real parameter, unconstrained, [Positive] (with or without a floor) or [Simplex], is estimated by gradient
        /// steps on its unconstrained scale (a softmax along a simplex's plate).
        /// </summary>
        private static string? ParameterProblem(NodeSpec node) =>
            node.Kind != ValueKind.Real ? "an integer or plate-valued parameter has no gradient; make it [Data], or a latent with a prior"
            : node.Declaration.Distribution is { } prior && (!Density(node) || DistributionCatalog.Find(prior.Name)!.IsVector && !SimplexPriors.IsOverOwnSimplex(node))
                ? $"a parameter's prior must be a scalar distribution with a log density (Normal, Gamma, ...) or, on a [Simplex] parameter, a Dirichlet over its simplex's plate; not Dist.{prior.Name}{(node.Declaration.Constraints.Simplex ? " over " + prior.Over : "")}"
            : null;

        private static string? ObservedProblem(NodeSpec node)
        {
            var distribution = node.Declaration.Distribution!;
            if (!Density(node)) return $"the sampler has no log density for Dist.{distribution.Name} yet (it has {string.Join(", ", densities.OrderBy(d => d))})";
            if (node.Declaration.Constraints.Missing is not null && (DistributionCatalog.Find(distribution.Name)!.IsVector || distribution.Name == "Categorical"))
                return $"missing entries are skipped one scalar entry at a time, and a Dist.{distribution.Name} row is one outcome; drop [MeasuredWhere]/[ZerosMissing] here";
            return null;
        }

        internal static bool Density(NodeSpec node) => node.Declaration.Distribution is { } d && densities.Contains(d.Name);

        internal static string? LatentProblem(ModelSpec spec, NodeSpec node)
        {
            var distribution = node.Declaration.Distribution!;
            if (!Density(node)) return $"the sampler has no log density for a Dist.{distribution.Name} latent yet";
            if (distribution.Name == "Uniform" && distribution.Arguments.Any(a => ExprTools.Mentions(ExprTools.Inline(a.Value, spec), spec, NodeRole.Latent)))
                return "a Uniform prior's bounds must not depend on latents (the sampler's transform to the real line needs them fixed)";
            return null;
        }

        internal static SampledLatent Sampled(ModelSpec spec, NodeSpec node)
        {
            var distribution = node.Declaration.Distribution!;
            if (node.Declaration.Constraints.Ordered)
                return new SampledLatent(node.Name, DistributionCatalog.Find(distribution.Name)!.Draws == Support.Positive ? LatentTransform.PositiveOrdered : LatentTransform.Ordered, null, null);
            if (distribution.Name == "Uniform")
                return new SampledLatent(node.Name, LatentTransform.Interval, ExprTools.Argument(node, "lower", spec), ExprTools.Argument(node, "upper", spec));
            if (distribution.Name == "Dirichlet") return new SampledLatent(node.Name, LatentTransform.Simplex, null, null);
            var transform = DistributionCatalog.Find(distribution.Name)!.Draws switch
            {
                Support.Positive => LatentTransform.Log,
                Support.UnitInterval => LatentTransform.Logit,
                _ => LatentTransform.Identity,
            };
            return new SampledLatent(node.Name, transform, null, null);
        }
    }
}
