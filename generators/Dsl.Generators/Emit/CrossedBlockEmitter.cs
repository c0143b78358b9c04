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

        /// <summary>How many entries the latent has: the product of its plates' sizes, or 1 for a scalar.</summary>
        public static string Entries(ModelSpec spec, CrossedBlock block) =>
            Own(spec, block) is { Count: > 0 } own ? string.Join(" * ", own.Select(i => CodeExpr.Size(i.Plate))) : "1";

        private static IReadOnlyList<IndexDecl> Own(ModelSpec spec, CrossedBlock block) => ExprTools.Find(spec, block.Latent)!.Indices.ToList();

        /// <summary>
        /// The locals that hold the entry's position along each of the latent's plates: <c>entry</c> itself for one
        /// plate, else <c>entry0</c>, <c>entry1</c>, ... taken apart from the row-major <c>entry</c> (<see cref="EmitEntryLocals"/>).
        /// </summary>
        private static IReadOnlyList<string> EntryLocals(ModelSpec spec, CrossedBlock block) =>
            Own(spec, block).Count == 1 ? new[] { "entry" } : Own(spec, block).Select((_, j) => $"entry{j}").ToList();

        private static void EmitEntryLocals(SourceWriter w, ModelSpec spec, CrossedBlock block)
        {
            var own = Own(spec, block);
            if (own.Count < 2) return;
            for (var j = 0; j < own.Count; j++)
            {
                var stride = string.Join(" * ", own.Skip(j + 1).Select(i => CodeExpr.Size(i.Plate)));
                var quotient = stride.Length == 0 ? "entry" : $"entry / ({stride})";
                w.Line($"var entry{j} = {(j == 0 ? quotient : $"{quotient} % {CodeExpr.Size(own[j].Plate)}")}; // its {own[j].Plate}");
            }
        }

        /// <summary>The latent's own index variables bound to the entry's locals: its prior's arguments read them.</summary>
        private static Dictionary<string, string> OwnVars(ModelSpec spec, CrossedBlock block) =>
            Own(spec, block).Zip(EntryLocals(spec, block), (i, local) => (i.Variable, local)).ToDictionary(p => p.Variable, p => p.local);

        /// <summary>A latent read in a Gibbs block's expressions, at its current draw (every latent a crossed predictor reads is stored row-major as the node is indexed: a primary coefficient has one index, a crossed one any number).</summary>
        public static string? CurrentDraw(NodeSpec node, string position) => node.Role == NodeRole.Latent ? $"{State(node.Name)}[{position}]" : null;

        public static void EmitInitialize(SourceWriter w, ModelSpec spec, CrossedBlock block)
        {
            using (w.Block($"for (var entry = 0; entry < {Entries(spec, block)}; entry++)"))
            {
                EmitEntryLocals(w, spec, block);
                w.Line($"{State(block.Latent)}[entry] = {new CodeExpr(spec, OwnVars(spec, block)).Of(block.PriorMean)};");
            }
        }

        public static void EmitPosteriorMean(SourceWriter w, ModelSpec spec, CrossedBlock block)
        {
            var node = ExprTools.Find(spec, block.Latent)!;
            GibbsEmitter.Accessor(w, node, $"[{CodeExpr.RowMajor(node.Indices.Select(i => i.Variable + ".Value").ToList(), node.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList())}]");
        }

        /// <summary>Whether the block keeps every recorded draw of its latent: an M-step term reads its prior over them.</summary>
        public static bool KeepsDraws(GibbsPlan plan, CrossedBlock block) =>
            plan.Gradients.SelectMany(g => g.Terms).Any(t => t.Kind == GradientTermKind.CrossedPrior && t.Block == block.Id);

        /// <summary>For the M-step: which entry of the parameter each entry's prior reads, and E[log prior] over the recorded draws.</summary>
        public static void EmitPriorTerm(SourceWriter w, ModelSpec spec, CrossedBlock block, GradientTerm term, string map, string likelihood)
        {
            var latent = ExprTools.Find(spec, block.Latent)!;
            var code = new CodeExpr(spec, OwnVars(spec, block));
            w.Line($"/// <summary>Crossed block {block.Id}: for each entry of {block.Latent}, the entry of {term.Access.Node} its prior reads.</summary>");
            using (w.Block($"private int[] {map}()"))
            {
                w.Line($"var map = new int[{Entries(spec, block)}];");
                using (w.Block($"for (var entry = 0; entry < map.Length; entry++)"))
                {
                    EmitEntryLocals(w, spec, block);
                    w.Line($"map[entry] = {code.FlatIndex(term.Access)};");
                }
                w.Line("return map;");
            }
            w.Line();
            SliceBlockEmitter.EmitMonteCarloPrior(w, spec, $"Crossed block {block.Id}", latent.Declaration.Distribution!.Name,
                ExprTools.ArgumentsAt(spec, latent, GibbsEmitter.Call(latent)), OwnVars(spec, block), term, likelihood, "entry", Entries(spec, block), Draws(block.Latent),
                () => EmitEntryLocals(w, spec, block));
        }

        public static void EmitSweep(SourceWriter w, ModelSpec spec, GibbsPlan plan, CrossedBlock block, Lowering.ScheduledBlock scheduled)
        {
            var response = ExprTools.Find(spec, block.Primary.Response)!;
            // A read at one of the response's own indices binds that index to the entry's position along that plate; any
            // other read (through a data node, G(l), or of an index already bound) is a test on every entry of the response.
            var locals = EntryLocals(spec, block);
            var vars = response.Indices.ToDictionary(i => i.Variable, i => i.Variable);
            var filters = new List<(Expr Read, string Local)>();
            for (var j = 0; j < block.Read.Indices.Count; j++)
            {
                if (block.Read.Indices[j] is IndexExpr index && vars.TryGetValue(index.Name, out var variable) && variable == index.Name) vars[index.Name] = locals[j];
                else filters.Add((block.Read.Indices[j], locals[j]));
            }
            var code = new CodeExpr(spec, vars, drawn: CurrentDraw);
            var prior = new CodeExpr(spec, OwnVars(spec, block));
            var loops = response.Indices.Where(i => vars[i.Variable] == i.Variable).ToList();
            var reads = loops.Count == 0 ? "1" : string.Join(" * ", loops.Select(i => CodeExpr.Size(i.Plate)));
            WorkspaceEmitter.EmitSizes(w, block.Latent, scheduled.Workspace, new Dictionary<string, string> { ["reads"] = reads });
            w.Line("/// <summary>");
            w.Line($"/// Crossed block {block.Id} (line {block.Line}): {block.Latent} ~ Normal(m = {ExprPrinter.Print(block.PriorMean)}, s = {ExprPrinter.Print(block.PriorSd)}), read as {ExprPrinter.Print(block.Read)}");
            w.Line($"/// with covariate c = {ExprPrinter.Print(block.Coefficient)} in {response.Name}'s logit psi = {ExprPrinter.Print(block.Logit)}.");
            w.Line("/// Given omega ~ PG(1, psi) at every entry that reads it, its conditional is Gaussian: precision 1/s² + Σ omega c²,");
            w.Line("/// mean (m/s² + Σ c (y − 1/2 − omega (psi − c·current))) / precision.");
            w.Line("/// </summary>");
            using (w.Block($"private void {SweepMethod(block.Latent)}(int entry, {Inference}.Workspace work, {Inference}.SweepContext context)"))
            {
                w.Line($"var random = context.RandomFor({Lowering.RandomStreams.Name(block)}, entry);");
                w.Line($"var reads = {reads};");
                WorkspaceEmitter.EmitSlices(w, scheduled.Workspace);
                EmitEntryLocals(w, spec, block);
                w.Line($"var conditional = new {Inference}.Rules.CrossedCoefficient({prior.Of(block.PriorMean)}, {prior.Variance(block.PriorSd)}, {State(block.Latent)}[entry]);");
                w.Line("var count = 0;");
                var opened = loops.Select(i => w.Block($"for (var {i.Variable} = 0; {i.Variable} < {CodeExpr.Size(i.Plate)}; {i.Variable}++)")).ToList();
                foreach (var (read, local) in filters) w.Line($"if ({code.Of(read)} != {local}) continue; // only the entries that read this one");
                w.Line($"covariate[count] = {code.Of(block.Coefficient)};");
                w.Line($"psi[count] = {code.Of(block.Logit)};");
                w.Line($"response[count++] = {Response(spec, block, response, vars)};");
                for (var n = opened.Count - 1; n >= 0; n--) opened[n].Dispose();
                w.Line("conditional.AddAll(covariate[..count], psi[..count], response[..count], omega[..count], ref random);");
                w.Line("var value = conditional.Draw(ref random);");
                w.Line($"{State(block.Latent)}[entry] = value;");
                using (w.Block("if (context.Record)"))
                {
                    w.Line($"{Sum(block.Latent)}[entry] += value;");
                    w.Line($"{SquareSum(block.Latent)}[entry] += value * value;");
                    if (KeepsDraws(plan, block)) w.Line($"{Draws(block.Latent)}[(recordedSweeps - 1) * {Entries(spec, block)} + entry] = value;");
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
