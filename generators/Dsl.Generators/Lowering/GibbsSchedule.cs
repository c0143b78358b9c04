using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Emit;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Lowering
{
    /// <summary>A data read taken out of a block's element loop: the same at every element of a replicate (URSM's cell type G(l)).</summary>
    public sealed record HoistedRead(NodeCallExpr Call, string Local);

    /// <summary>
    /// One Gibbs-EM block as the sweep runs it: once per entry of its replicate plates (a crossed latent over two plates
    /// has an entry per pair; once in all without one), its
    /// profiles prepared once per sweep where they do not vary with the replicate, drawing from its own random stream,
    /// with the data reads its element loop would repeat read once per replicate instead, taking its buffers from the
    /// thread's workspace as <see cref="Workspace"/> lays them out. <see cref="WeightColumn"/> is the design column a
    /// running-sum child's weights are copied from, where the weight is one of the design's covariates (URSM's delta(i)
    /// is both), decided on the IR; null where the weights are computed.
    /// </summary>
    public sealed record ScheduledBlock(string Name, IReadOnlyList<string> ReplicatePlates, bool PreparedPerSweep, RandomStreams.Stream Stream, IReadOnlyList<HoistedRead> Hoisted,
        BlockWorkspace Workspace, int? WeightColumn);

    /// <summary>
    /// The lowered Gibbs-EM sweep: groups run one after another, each one parallel loop over the replicates of all its
    /// blocks. Blocks share a group only when none reads a latent another samples, so their order within a sweep
    /// cannot change a draw; otherwise each block is a group of its own, in plan order.
    /// </summary>
    public sealed record GibbsSchedule(IReadOnlyList<IReadOnlyList<ScheduledBlock>> Groups)
    {
        public ScheduledBlock Of(string name) => Groups.SelectMany(g => g).Single(b => b.Name == name);

        public bool Together => Groups.Count == 1 && Groups[0].Count > 1;

        public static GibbsSchedule Lower(ModelSpec spec, GibbsPlan plan)
        {
            var streams = RandomStreams.Of(plan);
            var blocks = plan.Allocations.Select((b, i) => (Block: b, Shared: !ExprTools.UsesIndex(b.Profile, b.Replicate.Variable), Stream: streams[i]))
                .Select(a => new ScheduledBlock(a.Block.Latent, new[] { a.Block.Replicate.Plate }, a.Shared, a.Stream, new HoistedRead[0], BlockWorkspace.Of(a.Block, a.Shared), null))
                .Concat(plan.Logistics.Select((b, i) => new ScheduledBlock(b.Response, b.Replicate is { } r ? new[] { r.Plate } : new string[0], false, streams[plan.Allocations.Count + i],
                    ReplicateInvariantReads(spec, plan, b), BlockWorkspace.Of(b), WeightColumn(spec, b))))
                .Concat(plan.Crossed.Select((b, i) => new ScheduledBlock(b.Latent, ExprTools.Find(spec, b.Latent)!.Indices.Select(index => index.Plate).ToList(), false,
                    streams[plan.Allocations.Count + plan.Logistics.Count + i], new HoistedRead[0], BlockWorkspace.Crossed, null)))
                .ToList();
            var together = blocks.Count > 1 && Independent(spec, plan);
            return new GibbsSchedule(together ? new[] { blocks } : blocks.Select(b => (IReadOnlyList<ScheduledBlock>)new[] { b }).ToList());
        }

        /// <summary>The first scalar slot whose covariate is, on the IR, the running-sum child's weight; null for none.</summary>
        private static int? WeightColumn(ModelSpec spec, LogisticBlock block)
        {
            if (block.Probability is not null || block.Child is not { } child) return null;
            var weight = ExprTools.Inline(child.Weight, spec);
            for (var s = 0; s < block.Slots.Count; s++)
                if (block.Slots[s].Over is null && ExprTools.SameShape(ExprTools.Inline(block.Slots[s].Coefficient, spec), weight)) return s;
            return null;
        }

        /// <summary>Whether no block's conditionals read a latent another block samples (then their replicates can run together).</summary>
        private static bool Independent(ModelSpec spec, GibbsPlan plan)
        {
            var blocks = plan.Allocations.Select(b => (Samples: new[] { b.Latent }, Reads: new[] { b.Profile, b.Concentration }))
                .Concat(plan.Logistics.Select(b => (
                    Samples: new[] { b.Response }.Concat(b.Slots.Select(s => s.Latent)).ToArray(),
                    Reads: b.Slots.SelectMany(s => new[] { s.Coefficient, s.PriorMean, s.PriorSd }).Concat(b.Offsets).Concat(b.Probability is { } p ? new[] { p } : new Expr[0]).Concat(b.Child is { } c ? new[] { c.Weight } : new Expr[0]).ToArray())))
                .Concat(plan.Crossed.Select(b => (Samples: new[] { b.Latent }, Reads: new[] { b.Logit, b.PriorMean, b.PriorSd })))
                .ToList();
            for (var a = 0; a < blocks.Count; a++)
            {
                var reads = new HashSet<string>(blocks[a].Reads.SelectMany(x => ExprTools.Calls(ExprTools.Inline(x, spec))).Select(c => c.Node));
                for (var b = 0; b < blocks.Count; b++)
                    if (a != b && blocks[b].Samples.Any(reads.Contains)) return false;
            }
            return true;
        }

        /// <summary>
        /// Data read by a logistic block's expressions (and its Pólya-Gamma M-step terms) at indices of its replicate only:
        /// each distinct read, told apart by its IR, becomes a local named after the node and its indices.
        /// </summary>
        private static IReadOnlyList<HoistedRead> ReplicateInvariantReads(ModelSpec spec, GibbsPlan plan, LogisticBlock block)
        {
            var expressions = block.Slots.Select(s => s.Coefficient).Concat(block.Offsets).ToList();
            if (block.Child is { } child) expressions.Add(child.Weight);
            if (block.Probability is { } probability) expressions.Add(probability);
            expressions.AddRange(plan.Gradients.SelectMany(g => g.Terms).Where(t => t.Kind == GradientTermKind.PolyaGammaCoefficient && t.Block == block.Id).Select(t => t.Access));
            var perElement = new HashSet<string>(block.Slots.Where(s => s.Over is not null).Select(s => s.Over!.Variable)) { block.Element.Variable };
            var reads = new List<HoistedRead>();
            var seen = new HashSet<string>();
            foreach (var call in expressions.SelectMany(x => ExprTools.Calls(ExprTools.Inline(x, spec))))
            {
                if (ExprTools.Find(spec, call.Node)?.Role != NodeRole.Data || call.Indices.Count == 0) continue;
                if (!call.Indices.All(i => i is IndexExpr index && !perElement.Contains(index.Name))) continue;
                if (seen.Add(ExprPrinter.Print(call))) reads.Add(new HoistedRead(call, $"{call.Node}_{string.Join("_", call.Indices.Select(i => ((IndexExpr)i).Name))}"));
            }
            return reads;
        }
    }
}
