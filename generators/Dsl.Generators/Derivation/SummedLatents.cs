using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// A finite discrete latent summed out of the log density (Stan users write it by hand with log_sum_exp): for
    /// each of its entries, log Σ_v p(z = v) Π_children p(child | z = v). It needs a Categorical or Bernoulli prior, and
    /// children that are observed and read it only at their own entry's indices, so the sum stays local to one entry.
    /// The sampler then moves the continuous latents on the marginal posterior; z is drawn afterwards from its
    /// conditional at each kept draw.
    /// </summary>
    internal static class SummedLatents
    {
        /// <summary>Why <paramref name="z"/> cannot be summed out, or null with its children.</summary>
        public static string? Problem(ModelSpec spec, NodeSpec z, out List<NodeSpec> children)
        {
            children = spec.Nodes.Where(n => n.Declaration.Distribution is { } d && d.Arguments.Any(a => ExprTools.Mentions(ExprTools.Inline(a.Value, spec), z.Name))).ToList();
            var distribution = z.Declaration.Distribution!.Name;
            if (distribution is not ("Categorical" or "Bernoulli"))
                return $"a discrete latent drawn from Dist.{distribution} has no finite set of values to sum over (Categorical and Bernoulli latents are summed out)";
            if (z.Declaration.Distribution.Arguments.Any(a => SummedIn(spec, ExprTools.Inline(a.Value, spec)).Any()))
                return "its prior reads another discrete latent; a latent is summed out only when its prior reads continuous latents, parameters and data";
            foreach (var child in children)
            {
                if (child.Role != NodeRole.Observed)
                    return $"'{child.Name}' reads it but is not observed; a discrete latent is summed out only where observations alone depend on it";
                if (child.Declaration.Distribution!.Over is not null && child.Declaration.Distribution.Name != "Multinomial")
                    return $"'{child.Name}' is a Dist.{child.Declaration.Distribution.Name} vector over a plate; of vector observations only multinomial rows are summed over a discrete latent";
                var arguments = child.Declaration.Distribution!.Arguments.Select(a => ExprTools.Inline(a.Value, spec)).ToList();
                if (arguments.SelectMany(a => SummedIn(spec, a)).Distinct().Count() > 1)
                    return $"'{child.Name}' reads two discrete latents; their joint sum is not supported yet";
                foreach (var call in arguments.SelectMany(ExprTools.Calls).Where(c => c.Node == z.Name))
                {
                    if (call.Indices.Count != z.Indices.Count || !call.Indices.Select((index, i) => OwnIndex(child, index, z.Indices[i].Plate)).All(ok => ok))
                        return $"'{child.Name}' reads it at {ExprPrinter(call)}, not at its own entry's indices, so the sum over its values would not stay within one entry";
                }
            }
            return null;
        }

        /// <summary>The child's own index variable over <paramref name="plate"/>.</summary>
        private static bool OwnIndex(NodeSpec child, Expr index, string plate) =>
            index is IndexExpr variable && child.Indices.Any(i => i.Variable == variable.Name && i.Plate == plate);

        /// <summary>The discrete latents an expression reads.</summary>
        private static IEnumerable<string> SummedIn(ModelSpec spec, Expr expr) =>
            ExprTools.Calls(expr).Select(c => ExprTools.Find(spec, c.Node)).Where(n => n is { Role: NodeRole.Latent, Kind: not ValueKind.Real }).Select(n => n!.Name);

        private static string ExprPrinter(Expr expr) => Emit.ExprPrinter.Print(expr);
    }
}
