using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Binary switches in normalised weights (URSM's S, its section 3). Prior s_i ~ Bernoulli(logit ψ_i) (or p =
    /// Logistic(ψ_i)), one observed child y ~ Multinomial(R, p) with p_i = w_i s_i / Σ_n w_n s_n over the switch's
    /// plate, the weights free of s. Given the rest, only T₋ᵢ = Σ_{n≠i} w_n s_n of the other switches matters:
    /// y_i &gt; 0 forces s_i = 1, and otherwise
    /// logit P(s_i = 1 | rest) = ψ_i − R·log(1 + w_i / T₋ᵢ),
    /// so one scan over i with a running sum draws every switch of a row exactly (the runtime's
    /// NormalisedWeightEnumeration, the kernel Gibbs-EM uses for the same rule).
    /// </summary>
    internal static class SwitchEntry
    {
        /// <param name="children">the nodes whose distributions read <paramref name="s"/></param>
        public static SwitchUpdate? Match(ModelSpec spec, NodeSpec s, IReadOnlyList<NodeSpec> children, out string? why)
        {
            why = null;
            if (s.Declaration.Distribution is not { Name: "Bernoulli" }) return null;
            if (children.Count != 1 || children[0].Role != NodeRole.Observed || children[0].Declaration.Distribution is not { Name: "Multinomial" } multinomial) return null;
            var y = children[0];
            var over = y.Indices.FirstOrDefault(i => i.Variable == multinomial.Over || i.Plate == multinomial.Over);
            var element = over is null ? null : s.Indices.FirstOrDefault(i => i.Plate == over.Plate);
            if (element is null || NormalisedWeights.Weight(spec, s, element, y) is not { } weight) return null;
            if (ExprTools.Calls(weight).Select(c => ExprTools.Find(spec, c.Node)).Any(n => n is { Role: NodeRole.Latent, Kind: not ValueKind.Real }))
            {
                why = $"'{y.Name}' weighs its switches by another discrete latent; a switch's conditional is exact only given continuous weights";
                return null;
            }
            return new SwitchUpdate(s.Name, y.Name, element.Variable, weight, Statistics.Logit(spec, s)?.Logit, ExprTools.Argument(s, "p", spec)!);
        }
    }
}
