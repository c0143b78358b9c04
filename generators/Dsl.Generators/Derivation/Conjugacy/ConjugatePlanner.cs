using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Plans exact Gibbs for a model of latents: each latent's full conditional is its prior times the terms of its
    /// children (its Markov blanket), and the catalogue entry of its prior's family matches the children's terms by
    /// structure, never by name. A scalar latent no entry covers is slice-sampled from the same conditional
    /// (<see cref="SliceEntry"/>). The plan exists when every latent has an entry or a slice step and one latent at
    /// least has an exact update; otherwise the first latent without an entry is the reason, and gradient-based
    /// sampling (NUTS) fits the model instead.
    /// </summary>
    public static class ConjugatePlanner
    {
        private delegate ConjugateUpdate? Entry(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why);

        /// <summary>The catalogue, by the family of the latent's prior.</summary>
        private static readonly Dictionary<string, Entry> catalogue = new()
        {
            ["Normal"] = NormalMeanEntry.Match,
            ["Flat"] = NormalMeanEntry.Match,
            ["Uniform"] = BetaEntry.MatchUniform,
            ["Gamma"] = GammaEntry.Match,
            ["Exponential"] = GammaEntry.Match,
            ["InverseGamma"] = InverseGammaEntry.Match,
            ["Beta"] = BetaEntry.Match,
            ["Dirichlet"] = DirichletEntry.Match,
        };

        /// <summary>The plan, or null with the reason none applies (naming the node).</summary>
        public static ConjugatePlan? Plan(ModelSpec spec, out string? why)
        {
            why = spec.Nodes.FirstOrDefault(n => n.Role == NodeRole.Param) is { } parameter
                ? $"'{parameter.Name}' is a parameter (exact Gibbs samples models whose unknowns are all latents with priors)"
                : spec.Nodes.FirstOrDefault(n => n.Role == NodeRole.Network) is { } network ? $"'{network.Name}' is a network"
                : spec.Nodes.FirstOrDefault(n => n.Declaration.Constraints.Missing is not null) is { } masked ? $"'{masked.Name}' has missing entries"
                : null;
            if (why is not null || !spec.Nodes.Any(n => n.Role == NodeRole.Latent)) return null;
            var refused = new Dictionary<string, string>();
            var blocks = NormalBlockEntry.Find(spec, refused);
            var inBlocks = new HashSet<string>(blocks.SelectMany(b => b.Members).Select(m => m.Latent));
            var updates = new List<ConjugateUpdate>();
            var enumerated = new List<EnumeratedUpdate>();
            var switches = new List<SwitchUpdate>();
            foreach (var latent in spec.Nodes.Where(n => n.Role == NodeRole.Latent && n.Kind != ValueKind.Real))
            {
                why = SummedLatents.Problem(spec, latent, out var children);
                if (why is null)
                {
                    enumerated.Add(new EnumeratedUpdate(latent.Name, children.Select(c => c.Name).ToEquatableArray()));
                    continue;
                }
                // Not local to one entry: a switch of a multinomial's normalised weights is still drawn exactly, a row at a time.
                if (SwitchEntry.Match(spec, latent, children, out var switchWhy) is { } update)
                {
                    switches.Add(update);
                    continue;
                }
                why = $"'{latent.Name}': {switchWhy ?? why}";
                return null;
            }
            var slices = new List<SliceUpdate>();
            string? firstRefusal = null;
            foreach (var latent in spec.Nodes.Where(n => n.Role == NodeRole.Latent && n.Kind == ValueKind.Real && !inBlocks.Contains(n.Name)))
            {
                var update = refused.TryGetValue(latent.Name, out why) ? null : Match(spec, latent, out why);
                if (update is not null)
                {
                    updates.Add(update);
                    continue;
                }
                // No exact entry: a scalar latent is slice-sampled from the same conditional; the exact entry's reason stays the answer otherwise.
                if (SliceEntry.Match(spec, latent, out _) is { } slice)
                {
                    firstRefusal ??= $"'{latent.Name}': {why}";
                    slices.Add(slice);
                    continue;
                }
                why = $"'{latent.Name}': {why}";
                return null;
            }
            // Slice steps alone would be a coordinate-wise sampler that NUTS beats: Gibbs needs one exact update at least.
            if (enumerated.Count + switches.Count + blocks.Count + updates.Count == 0)
            {
                why = firstRefusal;
                return null;
            }
            return new ConjugatePlan(enumerated.ToEquatableArray(), switches.ToEquatableArray(), blocks.ToEquatableArray(), updates.ToEquatableArray(), slices.ToEquatableArray());
        }

        private static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, out string? why)
        {
            var prior = latent.Declaration.Distribution!.Name;
            if (latent.Declaration.Constraints.Ordered) { why = "an [Ordered] latent's conditional is truncated to increasing rows"; return null; }
            if (!catalogue.TryGetValue(prior, out var entry))
            {
                why = $"no exact update for a Dist.{prior} prior (the catalogue has {string.Join(", ", catalogue.Keys)})";
                return null;
            }
            var reads = new List<ChildRead>();
            foreach (var child in MarkovBlanket.Children(spec, latent.Name))
            {
                if (MarkovBlanket.Read(spec, child, latent.Name, out why) is not { } read) return null;
                reads.Add(read);
            }
            // An entry sees a split child's term as an ordinary child; the split itself is drawn before its statistics.
            return entry(spec, latent, reads, out why) is { } update
                ? update with { Children = update.Children.Select((child, i) => child with { Split = reads[i].Split }).ToEquatableArray() }
                : null;
        }
    }
}
