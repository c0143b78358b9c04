using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Emit;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// Which part of a variational step's counter-based random stream each draw takes (Branches.Stream(seed, step
    /// stream, part)): one part per encoded latent (its noise and its encoder's dropout), then one per network trunk
    /// (its dropout), then one per global latent (its guide's draw). Each part is drawn whatever thread runs its rows,
    /// so a seed gives the same fit at any thread count. Decided once here; the emitters print the named constants.
    /// </summary>
    public sealed record VariationalStreams(string ClassName, IReadOnlyList<RandomStreams.Stream> Parts)
    {
        /// <summary>The stream the networks' weights and the parameters' starting values are drawn from, once per fit, before any step.</summary>
        public static readonly RandomStreams.Stream Initialisation = new("InitialisationStream", 0, "the networks' weights and the parameters' starting values");

        public static VariationalStreams Of(VariationalPlan plan)
        {
            var names = plan.Latents.Select(l => (Encoder(l), $"q({l.Node})'s noise and its encoder's dropout"))
                .Concat(ElboEmitter.Trunks(plan).Select(t => (Trunk(t.Key), $"the dropout of {string.Join(" and ", t.Select(n => n.Node))}'s hidden layers")))
                .Concat(plan.Globals.Select(g => (Guide(g), $"the guide draw of global latent {g.Node}")));
            return new VariationalStreams(plan.ClassName, names.Select((n, key) => new RandomStreams.Stream(n.Item1, key, n.Item2)).ToList());
        }

        public static string Encoder(EncodedLatent latent) => $"{latent.Node}EncoderStream";

        public static string Trunk(string owner) => $"{owner}TrunkStream";

        public static string Guide(GlobalLatent global) => $"{global.Node}GuideStream";
    }
}
