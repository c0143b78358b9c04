using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// Which counter-based random stream each Gibbs-EM block draws from. A block's key is the high word of the stream
    /// (SweepContext.RandomFor keys a stream by seed, block key, element and sweep), so each block and each replicate
    /// draws its own numbers whatever thread runs it. Allocation blocks take keys from 0, logistic blocks from
    /// <see cref="LogisticBase"/> and crossed blocks from <see cref="CrossedBase"/>: adding a block of one kind never moves another kind's streams, so a seed keeps
    /// giving the draws it gave before.
    /// </summary>
    public static class RandomStreams
    {
        /// <summary>The first logistic block's key: above any count of allocation blocks a model can declare.</summary>
        private const int LogisticBase = 1024;

        /// <summary>The first crossed block's key, above any count of logistic blocks.</summary>
        private const int CrossedBase = 2048;

        /// <summary>One block's stream: the generated constant's name, its key, and what the block draws.</summary>
        public sealed record Stream(string Name, int Key, string Draws);

        public static IReadOnlyList<Stream> Of(GibbsPlan plan) =>
            plan.Allocations.Select(b => new Stream(Name(b), b.Id, $"allocation block {b.Id}: {b.Observed}'s allocations and {b.Latent}"))
                .Concat(plan.Logistics.Select(b => new Stream(Name(b), LogisticBase + b.Id, $"logistic block {b.Id}: {b.Response}'s coefficients and {(b.Probability is null ? "Pólya-Gamma variables" : "slice steps")}")))
                .Concat(plan.Crossed.Select(b => new Stream(Name(b), CrossedBase + b.Id, $"crossed block {b.Id}: {b.Latent} and the Pólya-Gamma variables of the entries that read it")))
                .ToList();

        public static string Name(AllocationBlock block) => $"{block.Latent}Stream";

        public static string Name(LogisticBlock block) => $"{block.Response}Stream";

        public static string Name(CrossedBlock block) => $"{block.Latent}Stream";
    }
}
