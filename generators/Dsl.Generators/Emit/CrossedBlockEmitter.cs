using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.GibbsNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Prints a crossed block (<see cref="CrossedBlock"/>): one method per entry of the latent, which visits every
    /// entry of the response that reads it, draws that entry's Pólya-Gamma variable at the current predictor and adds
    /// its Gaussian term, then draws the latent; its starting values; its posterior mean and current draw.
    /// </summary>
    internal static class CrossedBlockEmitter
    {
        private const string Inference = "global::Dsl.Runtime.Inference";

        /// <summary>How many entries the latent has: its plate's size, or 1 for a scalar.</summary>
        public static string Entries(ModelSpec spec, CrossedBlock block) =>
            Own(spec, block) is { } own ? CodeExpr.Size(own.Plate) : "1";

        private static IndexDecl? Own(ModelSpec spec, CrossedBlock block) => ExprTools.Find(spec, block.Latent)!.Indices.FirstOrDefault();

        /// <summary>The latent's own index variable bound to the method's <c>entry</c>: its prior's arguments read it.</summary>
        private static Dictionary<string, string> OwnVars(ModelSpec spec, CrossedBlock block) =>
            Own(spec, block) is { } own ? new Dictionary<string, string> { [own.Variable] = "entry" } : new Dictionary<string, string>();

        /// <summary>A latent read in a Gibbs block's expressions, at its current draw (every latent a crossed predictor reads is stored as the node is indexed: one index, or none).</summary>
        public static string? CurrentDraw(NodeSpec node, string position) => node.Role == NodeRole.Latent ? $"{State(node.Name)}[{position}]" : null;

        public static void EmitInitialize(SourceWriter w, ModelSpec spec, CrossedBlock block)
        {
            using (w.Block($"for (var entry = 0; entry < {Entries(spec, block)}; entry++)"))
                w.Line($"{State(block.Latent)}[entry] = {new CodeExpr(spec, OwnVars(spec, block)).Of(block.PriorMean)};");
        }

        public static void EmitPosteriorMean(SourceWriter w, ModelSpec spec, CrossedBlock block)
        {
            var node = ExprTools.Find(spec, block.Latent)!;
            GibbsEmitter.Accessor(w, node, Own(spec, block) is { } own ? $"[{own.Variable}.Value]" : "[0]");
        }

        public static void EmitSweep(SourceWriter w, ModelSpec spec, CrossedBlock block, Lowering.ScheduledBlock scheduled)
        {
            var response = ExprTools.Find(spec, block.Primary.Response)!;
            var read = block.Read.Indices.FirstOrDefault();
            // A read at one of the response's own indices binds that index to the entry; any other read (through a data
            // node, G(l)) is a test on every entry of the response.
            var bound = read is IndexExpr index ? index.Name : null;
            var vars = response.Indices.ToDictionary(i => i.Variable, i => i.Variable == bound ? "entry" : i.Variable);
            var code = new CodeExpr(spec, vars, drawn: CurrentDraw);
            var prior = new CodeExpr(spec, OwnVars(spec, block));
            WorkspaceEmitter.EmitSizes(w, block.Latent, scheduled.Workspace, new Dictionary<string, string>());
            w.Line("/// <summary>");
            w.Line($"/// Crossed block {block.Id} (line {block.Line}): {block.Latent} ~ Normal(m = {ExprPrinter.Print(block.PriorMean)}, s = {ExprPrinter.Print(block.PriorSd)}), read as {ExprPrinter.Print(block.Read)}");
            w.Line($"/// with covariate c = {ExprPrinter.Print(block.Coefficient)} in {response.Name}'s logit psi = {ExprPrinter.Print(block.Logit)}.");
            w.Line("/// Given omega ~ PG(1, psi) at every entry that reads it, its conditional is Gaussian: precision 1/s² + Σ omega c²,");
            w.Line("/// mean (m/s² + Σ c (y − 1/2 − omega (psi − c·current))) / precision.");
            w.Line("/// </summary>");
            using (w.Block($"private void {SweepMethod(block.Latent)}(int entry, {Inference}.Workspace work, {Inference}.SweepContext context)"))
            {
                w.Line($"var random = context.RandomFor({Lowering.RandomStreams.Name(block)}, entry);");
                w.Line($"var conditional = new {Inference}.Rules.CrossedCoefficient({prior.Of(block.PriorMean)}, {prior.Variance(block.PriorSd)}, {State(block.Latent)}[entry]);");
                var loops = response.Indices.Where(i => i.Variable != bound).Select(i => w.Block($"for (var {i.Variable} = 0; {i.Variable} < {CodeExpr.Size(i.Plate)}; {i.Variable}++)")).ToList();
                if (bound is null && read is not null) w.Line($"if ({code.Of(read)} != entry) continue; // only the entries that read this one");
                w.Line($"conditional.Add({code.Of(block.Coefficient)}, {code.Of(block.Logit)}, {Response(spec, block, response, vars)}, ref random);");
                for (var n = loops.Count - 1; n >= 0; n--) loops[n].Dispose();
                w.Line("var value = conditional.Draw(ref random);");
                w.Line($"{State(block.Latent)}[entry] = value;");
                using (w.Block("if (context.Record)"))
                {
                    w.Line($"{Sum(block.Latent)}[entry] += value;");
                    w.Line($"{SquareSum(block.Latent)}[entry] += value * value;");
                }
            }
            w.Line();
        }

        /// <summary>The response at the current entry: a latent one's state, laid out as its primary block keeps it (replicate-major), or the observed value.</summary>
        private static string Response(ModelSpec spec, CrossedBlock block, NodeSpec response, IReadOnlyDictionary<string, string> vars)
        {
            var primary = block.Primary;
            if (!primary.ResponseIsLatent) return $"(double){new CodeExpr(spec, vars).Access(GibbsEmitter.Call(response))}";
            return $"{State(response.Name)}[{vars[primary.Replicate!.Variable]} * {CodeExpr.Size(primary.Element.Plate)} + {vars[primary.Element.Variable]}]";
        }
    }
}
