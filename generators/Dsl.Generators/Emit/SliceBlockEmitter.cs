using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using Dsl.Generators.Lowering;
using static Dsl.Generators.Emit.GibbsNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// A Bernoulli block whose link no augmentation covers (<see cref="LogisticBlock.Probability"/> set): per
    /// replicate, each Normal latent of the probability is slice-sampled from its full conditional, then the binary
    /// response is enumerated (or drawn) given the prior log-odds. The M-step's term for a parameter inside the
    /// probability is the Monte Carlo Bernoulli log-likelihood over the recorded draws, with its symbolic derivative.
    /// </summary>
    internal static class SliceBlockEmitter
    {
        private const string Inference = "global::Dsl.Runtime.Inference";
        private const string Rules = "global::Dsl.Runtime.Inference.Rules";
        private const string Hmc = "global::Dsl.Runtime.Hmc";

        /// <summary>The Monte Carlo likelihood's fixed number of replicate blocks: enough to keep 16 threads busy.</summary>
        private const int LikelihoodBlocks = 16;

        public static void EmitSweep(SourceWriter w, ModelSpec spec, LogisticBlock block, Lowering.ScheduledBlock scheduled, IReadOnlyDictionary<string, string> hoisted)
        {
            var e = block.Element;
            var r = ReplicateIndex(block);
            var size = CodeExpr.Size(e.Plate);
            var latents = DistinctSlots(block).ToList();
            WorkspaceEmitter.EmitSizes(w, block.Response, scheduled.Workspace, new Dictionary<string, string> { ["elements"] = size });
            w.Line("/// <summary>");
            w.Line($"/// Block {block.Id} for one replicate (line {block.Line}): {block.Response} ~ Bernoulli(p), p = {ExprPrinter.Print(block.Probability!)},");
            w.Line($"/// a link no augmentation makes conjugate: {string.Join(", ", latents.Select(s => s.Latent))} {(latents.Count == 1 ? "is" : "are each")} slice-sampled from the full conditional");
            w.Line($"/// (the Normal prior times the Bernoulli terms of {block.Response} in this replicate)" + (block.Child is { } c
                ? $"; then {block.Response} is enumerated over its Markov blanket through {c.Observed}, with a running sum." : "."));
            w.Line("/// </summary>");
            using (w.Block($"private void {GibbsNames.SweepMethod(block.Response)}(int {(block.Replicate is { } rep ? rep.Variable : "replicate")}, {Inference}.Workspace work, {Inference}.SweepContext context)"))
            {
                w.Line($"var elements = {size};");
                w.Line($"var random = context.RandomFor({Lowering.RandomStreams.Name(block)}, {(block.Replicate is { } rr ? rr.Variable : "replicate")});");
                WorkspaceEmitter.EmitSlices(w, scheduled.Workspace);
                if (block.ResponseIsLatent) w.Line($"var state = {State(block.Response)}.AsSpan({r} * elements, elements);");
                foreach (var slot in latents)
                {
                    var code = new CodeExpr(spec, GibbsEmitter.SlotVars(spec, block, null));
                    var at = SlotIndex(block, slot, r, null);
                    w.Line($"var {slot.Latent}Conditional = new {Conditional(block, slot)}(this, {r});");
                    w.Line($"// The prior sd is the slice's initial width: stepping out and shrinking adapt it to the conditional.");
                    w.Line($"{State(slot.Latent)}[{at}] = {Rules}.SliceSampler.Sample({State(slot.Latent)}[{at}], {code.Of(slot.PriorSd)}, ref {slot.Latent}Conditional, ref random);");
                }
                foreach (var slot in latents) w.Line($"var {Now(slot)} = {State(slot.Latent)}[{SlotIndex(block, slot, r, null)}];");
                if (block.ResponseIsLatent) EmitResponseDraw(w, spec, block, latents, hoisted);
                using (w.Block("if (context.Record)"))
                {
                    foreach (var slot in latents)
                    {
                        var at = SlotIndex(block, slot, r, null);
                        w.Line($"{Sum(slot.Latent)}[{at}] += {Now(slot)};");
                        w.Line($"{SquareSum(slot.Latent)}[{at}] += {Now(slot)} * {Now(slot)};");
                        w.Line($"{Draws(slot.Latent)}[(recordedSweeps - 1) * {Replicates(block)} + {r}] = {Now(slot)};");
                    }
                    if (block.ResponseIsLatent)
                    {
                        w.Line($"var sums = {Sum(block.Response)}.AsSpan({r} * elements, elements);");
                        // E[response] is the mean of its full-conditional probabilities (Rao-Blackwell), not of its 0/1 draws.
                        w.Line(block.Child is not null
                            ? "for (var n = 0; n < elements; n++) sums[n] += onProbability[n];"
                            : $"for (var n = 0; n < elements; n++) sums[n] += global::Dsl.Runtime.Special.SpecialFunctions.Logistic(logOdds[n]);");
                        w.Line($"state.CopyTo({Samples(block)}.AsSpan(((recordedSweeps - 1) * {Replicates(block)} + {r}) * elements, elements));");
                    }
                }
            }
            w.Line();
            foreach (var slot in latents) EmitConditional(w, spec, block, slot, latents, hoisted);
        }

        /// <summary>Given the new latents, the binary response: enumerated through its child, or drawn from its prior.</summary>
        private static void EmitResponseDraw(SourceWriter w, ModelSpec spec, LogisticBlock block, IReadOnlyList<CoefficientSlot> latents, IReadOnlyDictionary<string, string> hoisted)
        {
            var e = block.Element;
            foreach (var read in hoisted) w.Line($"var {read.Value} = {read.Key}; // the same for every element of this replicate");
            var (on, off) = BernoulliLogs.Of(Replaced(block.Probability!, latents.Select(s => (s, Now(s)))));
            var shared = SharedSubexpressions.Extract(new[] { on, off }, "shared");
            var code = new CodeExpr(spec, Locals(spec, block, latents.Select(s => (s, Now(s))), shared), hoisted);
            using (w.Block($"for (var {e.Variable} = 0; {e.Variable} < elements; {e.Variable}++)"))
            {
                foreach (var (local, value) in shared.Locals) w.Line($"var {local} = {code.Of(value)};");
                w.Line($"logOdds[{e.Variable}] = {code.Of(shared.Roots[0])} - {code.Of(shared.Roots[1])}; // log p - log(1 - p)");
                if (block.Child is { } child)
                    w.Line($"weights[{e.Variable}] = {new CodeExpr(spec, GibbsEmitter.SlotVars(spec, block, null), hoisted).Of(child.Weight)};");
            }
            w.Line(block.Child is { } ch
                ? $"{Rules}.NormalisedWeightEnumeration.Sweep(weights, {Counts(ch.Observed)}.AsSpan({ReplicateIndex(block)} * elements, elements), logOdds, state, enumeration, onProbability, ref random);"
                : "for (var n = 0; n < elements; n++) state[n] = random.NextDouble() < global::Dsl.Runtime.Special.SpecialFunctions.Logistic(logOdds[n]) ? (byte)1 : (byte)0;");
        }

        /// <summary>log p(latent = value | rest) up to a constant, and the struct the slice sampler calls it through.</summary>
        private static void EmitConditional(SourceWriter w, ModelSpec spec, LogisticBlock block, CoefficientSlot slot, IReadOnlyList<CoefficientSlot> latents,
            IReadOnlyDictionary<string, string> hoisted)
        {
            var e = block.Element;
            var r = block.Replicate?.Variable ?? "replicate";
            var values = latents.Select(s => (s, s == slot ? "value" : Now(s))).ToList();
            var code = new CodeExpr(spec, Locals(spec, block, values, null), hoisted);
            var (on, off) = BernoulliLogs.Of(Replaced(block.Probability!, values));
            var prior = new CodeExpr(spec, GibbsEmitter.SlotVars(spec, block, null), hoisted);
            var y = block.ResponseIsLatent ? $"{State(block.Response)}[{ReplicateIndex(block)} * elements + {e.Variable}] == 1"
                : ObservedIsOn(spec, block, hoisted);
            w.Line("/// <summary>");
            w.Line($"/// log p({ExprPrinter.Print(slot.LatentCall)} = value | rest) + const = log {Prior(spec, slot).Distribution}(value; {string.Join(", ", Prior(spec, slot).Arguments.Select(ExprPrinter.Print))})");
            w.Line($"///     + sum over {e.Plate} of {block.Response} log p + (1 - {block.Response}) log(1 - p), p = {ExprPrinter.Print(block.Probability!)}.");
            w.Line("/// Internal: the model's own assembly checks it against the joint density.");
            w.Line("/// </summary>");
            using (w.Block($"internal double {block.Response}LogConditional{slot.Latent}(int {r}, double value)"))
            {
                w.Line($"var elements = {CodeExpr.Size(e.Plate)};");
                foreach (var read in hoisted) w.Line($"var {read.Value} = {read.Key};");
                foreach (var other in latents.Where(s => s != slot)) w.Line($"var {Now(other)} = {State(other.Latent)}[{SlotIndex(block, other, ReplicateIndex(block), null)}];");
                var (distribution, arguments) = Prior(spec, slot);
                switch (DistributionCatalog.Find(distribution)!.Draws)
                {
                    case Support.Positive:
                        w.Line("if (value <= 0) return double.NegativeInfinity;");
                        break;
                    case Support.UnitInterval:
                        w.Line("if (value <= 0 || value >= 1) return double.NegativeInfinity;");
                        break;
                }
                w.Line($"var logDensity = {DensityCall(distribution, "value", arguments.Select(prior.Of).ToList(), null)};");
                using (w.Block($"for (var {e.Variable} = 0; {e.Variable} < elements; {e.Variable}++)"))
                {
                    w.Line($"logDensity += {y} ? {code.Of(on)} : {code.Of(off)};");
                }
                w.Line("return logDensity;");
            }
            w.Line();
            w.Line($"private readonly struct {Conditional(block, slot)}({spec.ClassName} model, int {r}) : {Rules}.IScalarLogDensity");
            using (w.Braces())
                w.Line($"public double LogDensity(double value) => model.{block.Response}LogConditional{slot.Latent}({r}, value);");
            w.Line();
        }

        /// <summary>
        /// The M-step term of a parameter inside the probability: the mean over recorded sweeps of
        /// sum y log p + (1 - y) log(1 - p), each log in its stable form (<see cref="BernoulliLogs"/>), and its gradient,
        /// the symbolic derivative of whichever log the draw selects.
        /// </summary>
        public static void EmitLikelihood(SourceWriter w, ModelSpec spec, LogisticBlock block, GradientTerm term, string name, IReadOnlyDictionary<string, string> hoisted)
        {
            var e = block.Element;
            var latents = DistinctSlots(block).ToList();
            var draws = latents.Select(s => (s, Drawn(s))).ToList();
            var parameter = new IndexExpr(term.Access.Node + "_value", term.Access.Location);
            var (on, off) = BernoulliLogs.Of(block.Probability!);
            // Each log and its derivative share their function applications (Exp' = Exp): each is computed once per entry.
            SharedLocals Branch(Expr log) => SharedSubexpressions.Extract(
                new[] { log, Differentiation.Derivative(log, term.Access) }.Select(x => ExprTools.ReplaceCalls(Replaced(x, draws), term.Access.Node, parameter)).ToList(), "shared");
            var (onBranch, offBranch) = (Branch(on), Branch(off));
            var r = block.Replicate?.Variable ?? "replicate";
            w.Line($"private double[] {name}Scratch = new double[0]; // per block of replicates: its total, then its gradient");
            w.Line($"private double[] {name}Point = new double[0]; // the point, as an array the parallel blocks can read");
            w.Line();
            w.Line("/// <summary>");
            w.Line($"/// Block {block.Id}: E[{block.Response} log p + (1 - {block.Response}) log(1 - p)] over the recorded sweeps as a function of {term.Access.Node},");
            w.Line($"/// p = {ExprPrinter.Print(block.Probability!)}: log p = {ExprPrinter.Print(on)}, log(1 - p) = {ExprPrinter.Print(off)},");
            w.Line($"/// each with its derivative in {term.Access.Node}. The replicates are split into at most {LikelihoodBlocks} fixed blocks, run in");
            w.Line("/// parallel and summed in block order, so the value is the same at any thread count.");
            w.Line("/// </summary>");
            using (w.Block($"private double {name}(global::System.ReadOnlySpan<double> x, int[] map, global::System.Span<double> gradient, global::System.Threading.Tasks.ParallelOptions parallelism)"))
            {
                w.Line($"var elements = {CodeExpr.Size(e.Plate)};");
                w.Line($"var replicates = {Replicates(block)};");
                w.Line($"var blocks = global::System.Math.Min(replicates, {LikelihoodBlocks});");
                w.Line("var withGradient = !gradient.IsEmpty;");
                w.Line("var width = 1 + (withGradient ? gradient.Length : 0);");
                w.Line($"var scratch = {VariationalNames.Neural}.Buffers.Ensure(ref {name}Scratch, blocks * width);");
                w.Line("global::System.Array.Clear(scratch, 0, blocks * width);");
                w.Line($"var point = {VariationalNames.Neural}.Buffers.Ensure(ref {name}Point, x.Length);");
                w.Line("x.CopyTo(point);");
                w.Line("global::System.Threading.Tasks.Parallel.For(0, blocks, parallelism, block =>");
                w.Line("{");
                using (w.Indent(1))
                {
                    w.Line("var own = scratch.AsSpan(block * width, width);");
                    using (w.Block($"for (var {r} = block * replicates / blocks; {r} < (block + 1) * replicates / blocks; {r}++)"))
                    {
                        foreach (var read in hoisted) w.Line($"var {read.Value} = {read.Key};");
                        using (w.Block("for (var sweep = 0; sweep < recordedSweeps; sweep++)"))
                        {
                            foreach (var slot in latents) w.Line($"var {Drawn(slot)} = {Draws(slot.Latent)}[sweep * replicates + {r}];");
                            var y = block.ResponseIsLatent ? $"{Samples(block)}[(sweep * replicates + {r}) * elements + {e.Variable}] == 1"
                                : ObservedIsOn(spec, block, hoisted);
                            using (w.Block($"for (var {e.Variable} = 0; {e.Variable} < elements; {e.Variable}++)"))
                            {
                                w.Line($"var entry = map[{r} * elements + {e.Variable}];");
                                w.Line($"var {parameter.Name} = point[entry];");
                                using (w.Block($"if ({y})"))
                                    EmitBranch(w, spec, block, draws, parameter, onBranch, hoisted);
                                using (w.Block("else"))
                                    EmitBranch(w, spec, block, draws, parameter, offBranch, hoisted);
                            }
                        }
                    }
                }
                w.Line("});");
                w.Line("var total = 0.0;");
                using (w.Block("for (var block = 0; block < blocks; block++)"))
                {
                    w.Line("total += scratch[block * width];");
                    w.Line("if (withGradient) for (var n = 0; n < gradient.Length; n++) gradient[n] += scratch[block * width + 1 + n];");
                }
                w.Line("return total / recordedSweeps;");
            }
            w.Line();
        }

        /// <summary>One log term and its gradient, with their shared applications in locals.</summary>
        private static void EmitBranch(SourceWriter w, ModelSpec spec, LogisticBlock block, IEnumerable<(CoefficientSlot, string)> draws, IndexExpr parameter,
            SharedLocals branch, IReadOnlyDictionary<string, string> hoisted)
        {
            var vars = Locals(spec, block, draws, branch);
            vars[parameter.Name] = parameter.Name;
            var code = new CodeExpr(spec, vars, hoisted);
            foreach (var (local, value) in branch.Locals) w.Line($"var {local} = {code.Of(value)};");
            w.Line($"own[0] += {code.Of(branch.Roots[0])};");
            w.Line($"if (withGradient) own[1 + entry] += {code.Of(branch.Roots[1])} / recordedSweeps;");
        }

        /// <summary>
        /// The M-step term of a parameter in a slice-sampled latent's prior: the mean over recorded sweeps of
        /// log prior(latent draw | arguments), and its gradient, each argument's partial times its derivative in P.
        /// </summary>
        public static void EmitPriorTerm(SourceWriter w, ModelSpec spec, LogisticBlock block, GradientTerm term, string name)
        {
            var slot = DistinctSlots(block).First(s => s.Latent == term.Latent);
            var (distribution, arguments) = Prior(spec, slot);
            EmitMonteCarloPrior(w, spec, $"Block {block.Id}", distribution, arguments, GibbsEmitter.SlotVars(spec, block, null), term, name,
                block.Replicate?.Variable ?? "replicate", Replicates(block), Draws(slot.Latent), entryLocals: null);
        }

        /// <summary>
        /// E[log prior(latent)] over the recorded sweeps as a function of the parameter, with its gradient through each
        /// argument of the prior: the loop visits every entry of the latent (<paramref name="entry"/> up to
        /// <paramref name="entries"/>, its draws at sweep * entries + entry), <paramref name="entryLocals"/> printing
        /// whatever the arguments read besides it. Shared by a logistic block's coefficients and a crossed latent.
        /// </summary>
        public static void EmitMonteCarloPrior(SourceWriter w, ModelSpec spec, string owner, string distribution, IReadOnlyList<Expr> arguments,
            Dictionary<string, string> vars, GradientTerm term, string name, string entry, string entries, string draws, System.Action? entryLocals)
        {
            var parameter = new IndexExpr(term.Access.Node + "_value", term.Access.Location);
            vars = new Dictionary<string, string>(vars) { [parameter.Name] = parameter.Name };
            var code = new CodeExpr(spec, vars);
            var values = arguments.Select(a => code.Of(ExprTools.ReplaceCalls(a, term.Access.Node, parameter))).ToList();
            var slopes = arguments.Select(a => ExprTools.ReplaceCalls(Differentiation.Derivative(a, term.Access), term.Access.Node, parameter)).ToList();
            w.Line("/// <summary>");
            w.Line($"/// {owner}: E[log {distribution}({term.Latent}; {string.Join(", ", arguments.Select(ExprPrinter.Print))})] over the recorded sweeps as a function of");
            w.Line($"/// {term.Access.Node}, with its gradient through each argument of the prior.");
            w.Line("/// </summary>");
            using (w.Block($"private double {name}(global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<int> map, global::System.Span<double> gradient)"))
            {
                w.Line("var total = 0.0;");
                using (w.Block("for (var sweep = 0; sweep < recordedSweeps; sweep++)"))
                using (w.Block($"for (var {entry} = 0; {entry} < {entries}; {entry}++)"))
                {
                    entryLocals?.Invoke();
                    w.Line($"var read = map[{entry}]; // the entry of {term.Access.Node} this one's prior reads");
                    w.Line($"var {parameter.Name} = x[read];");
                    w.Line($"total += {DensityCall(distribution, $"{draws}[sweep * {entries} + {entry}]", values, "d")};");
                    var chain = slopes.Select((slope, n) => (slope, n)).Where(q => !Differentiation.IsZero(q.slope)).Select(q => q.slope is ConstantExpr { Value: 1 } ? $"d{q.n + 1}" : $"d{q.n + 1} * {code.Of(q.slope)}");
                    w.Line($"if (!gradient.IsEmpty) gradient[read] += ({string.Join(" + ", chain)}) / recordedSweeps;");
                }
                w.Line("return total / recordedSweeps;");
            }
            w.Line();
        }

        /// <summary>A latent's prior and its arguments (catalogue order) in the block's index variables.</summary>
        private static (string Distribution, List<Expr> Arguments) Prior(ModelSpec spec, CoefficientSlot slot)
        {
            var latent = ExprTools.Find(spec, slot.Latent)!;
            return (latent.Declaration.Distribution!.Name, ExprTools.ArgumentsAt(spec, latent, (NodeCallExpr)slot.LatentCall));
        }

        /// <summary>LogDensity.X(value, arguments..., out partials): the partials discarded, or named prefix0 (the value's), prefix1, ...</summary>
        internal static string DensityCall(string distribution, string value, IReadOnlyList<string> arguments, string? partials) =>
            $"{Hmc}.LogDensity.{distribution}({string.Join(", ", new[] { value }.Concat(arguments).Concat(Enumerable.Range(0, arguments.Count + 1).Select(n => partials is null ? "out _" : $"out var {partials}{n}")))})";

        /// <summary>Whether an observed response is 1 at the current element, read from its storage.</summary>
        private static string ObservedIsOn(ModelSpec spec, LogisticBlock block, IReadOnlyDictionary<string, string> hoisted) =>
            $"{new CodeExpr(spec, GibbsEmitter.SlotVars(spec, block, null), hoisted).Access(GibbsEmitter.Call(ExprTools.Find(spec, block.Response)!))} == 1";

        private static string Conditional(LogisticBlock block, CoefficientSlot slot) => $"{block.Response}ConditionalOf{slot.Latent}";

        private static string Now(CoefficientSlot slot) => $"{slot.Latent}_now";

        private static string Drawn(CoefficientSlot slot) => $"{slot.Latent}_drawn";

        /// <summary>An expression with each latent read replaced by a local holding its value.</summary>
        private static Expr Replaced(Expr expr, IEnumerable<(CoefficientSlot Slot, string Local)> values) =>
            values.Aggregate(expr, (x, v) => ExprTools.ReplaceCalls(x, v.Slot.Latent, new IndexExpr(v.Local, x.Location)));

        /// <summary>The response's index variables plus the locals that stand for latents and shared applications.</summary>
        private static Dictionary<string, string> Locals(ModelSpec spec, LogisticBlock block, IEnumerable<(CoefficientSlot Slot, string Local)> values, SharedLocals? shared)
        {
            var vars = GibbsEmitter.SlotVars(spec, block, null);
            foreach (var (_, local) in values) vars[local] = local;
            foreach (var (local, _) in shared?.Locals ?? new List<(string, Expr)>()) vars[local] = local;
            return vars;
        }
    }
}
