using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Names and layouts shared by the Gibbs and M-step parts: every latent lives in a flat array, replicate-major,
    /// so one replicate's values (a cell's, a bulk sample's) are contiguous and can be sampled by one thread.
    /// </summary>
    internal static class GibbsNames
    {
        public static string State(string latent) => $"{latent}State";
        public static string Sum(string latent) => $"{latent}Sum";
        public static string SquareSum(string latent) => $"{latent}SquareSum";
        public static string LogSum(string latent) => $"{latent}LogSum";
        public static string AllocationSum(AllocationBlock b) => $"{b.Latent}AllocationSum";
        public static string Samples(LogisticBlock b) => $"{b.Response}Samples";
        public static string Draws(string latent) => $"{latent}Draws";

        /// <summary>Whether a block keeps its response's draw at every recorded sweep (for a Monte Carlo M-step term).</summary>
        public static bool KeepsResponseDraws(LogisticBlock b) => b.Child is not null || b.Probability is not null && b.ResponseIsLatent;
        public static string Counts(string observed) => $"{observed}ByReplicate";
        public static string PgLinear(LogisticBlock b, string parameter) => $"{b.Response}PolyaGammaLinear{parameter}";
        public static string PgQuadratic(LogisticBlock b, string parameter) => $"{b.Response}PolyaGammaQuadratic{parameter}";
        public static string Map(GradientUpdate u, GradientTerm t) => $"{u.Parameter}Map{t.Kind}{t.Block}{t.Latent}";
        public static string Ascent(GradientUpdate u) => $"{u.Parameter}Ascent";

        /// <summary>The method that sweeps one replicate of a block, named after the block's node: SweepS, SweepGeneEffect.</summary>
        public static string SweepMethod(string block) => "Sweep" + EmitHelpers.Capitalised(block);

        /// <summary>Replicates of a logistic block: the replicate plate's size, or 1 when the coefficients are shared by all.</summary>
        public static string Replicates(LogisticBlock b) => b.Replicate is { } r ? CodeExpr.Size(r.Plate) : "1";

        public static string ReplicateIndex(LogisticBlock b) => b.Replicate is { } r ? r.Variable : "0";

        /// <summary>The size of one replicate's coefficient vector: 1 per scalar slot, the plate size per summed slot.</summary>
        public static string Dimension(LogisticBlock b) =>
            string.Join(" + ", b.Slots.Select(s => s.Over is { } o ? CodeExpr.Size(o.Plate) : "1"));

        /// <summary>Offset of each slot in the coefficient vector, as C#.</summary>
        public static IReadOnlyList<string> SlotOffsets(LogisticBlock b)
        {
            var offsets = new List<string>();
            var offset = "0";
            foreach (var slot in b.Slots)
            {
                offsets.Add(offset);
                offset = offset == "0" ? (slot.Over is { } o ? CodeExpr.Size(o.Plate) : "1") : $"{offset} + {(slot.Over is { } p ? CodeExpr.Size(p.Plate) : "1")}";
            }
            return offsets;
        }

        /// <summary>Position of a slot latent's element in its state array: replicate-major, then its summed plate.</summary>
        public static string SlotIndex(LogisticBlock b, CoefficientSlot slot, string replicate, string? over) =>
            slot.Over is { } o
                ? (b.Replicate is null ? over! : $"{replicate} * {CodeExpr.Size(o.Plate)} + {over}")
                : (b.Replicate is null ? "0" : replicate);

        public static string SlotLength(LogisticBlock b, CoefficientSlot slot) =>
            slot.Over is { } o ? $"{Replicates(b)} * {CodeExpr.Size(o.Plate)}" : Replicates(b);

        /// <summary>Each index's variable bound to a C# local of the same name.</summary>
        public static Dictionary<string, string> Vars(params IndexDecl?[] indices) =>
            indices.Where(i => i is not null).ToDictionary(i => i!.Variable, i => i!.Variable);

        /// <summary>A loop over a plate, or nothing when the index is absent (a block without replicates).</summary>
        public static System.IDisposable Loop(SourceWriter w, IndexDecl? index) =>
            index is null ? new NoLoop() : w.Block($"for (var {index.Variable} = 0; {index.Variable} < {CodeExpr.Size(index.Plate)}; {index.Variable}++)");

        private sealed class NoLoop : System.IDisposable
        {
            public void Dispose() { }
        }

        /// <summary>Scalar slot latents that share one replicate appear once even if they fill several slots.</summary>
        public static IEnumerable<CoefficientSlot> DistinctSlots(LogisticBlock b) => b.Slots.GroupBy(s => s.Latent).Select(g => g.First());
    }
}
