using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Emits <c>{Model}.Conjugate.g.cs</c>: exact Gibbs. The sampler holds every latent's current values and a copy of
    /// every observation, row-major; each update clears two statistics per entry of its latent, walks every child's
    /// entries adding their statistics at the entry of the latent each reads, then draws every entry from the prior's
    /// parameters plus those sums (<see cref="ConjugatePlan"/>). Loops allocate nothing.
    /// </summary>
    internal static class ConjugateEmitter
    {
        private const string Models = "global::Dsl.Runtime.Models";
        private const string Conjugate = "global::Dsl.Runtime.Conjugate";

        public static GeneratedFile Emit(ModelSpec spec, ConjugatePlan plan, Lowering.ExactSweep sweep)
        {
            var w = EmitHelpers.Header("Exact Gibbs", spec.Namespace, spec.ClassName);
            var latents = plan.Enumerated.Select(e => e.Latent).Concat(plan.Switches.Select(s => s.Latent)).Concat(plan.Blocks.SelectMany(b => b.Members).Select(m => m.Latent)).Concat(plan.Updates.Select(u => u.Latent))
                .Concat(plan.Slices.Select(s => s.Latent.Node)).Select(l => ExprTools.Find(spec, l)!).ToList();
            var observed = spec.Nodes.Where(n => n.Role == NodeRole.Observed).ToList();
            // Auxiliary variables and slice steps make the sweeps slower to mix than NUTS on strongly determined
            // unknowns: the marker lets the tool prefer NUTS.
            using (w.Block($"partial class {spec.ClassName} : {Conjugate}.{(plan.Mixed ? "IMixedGibbsModel" : "IConjugateModel")}"))
            {
                w.Line("/// <summary>An exact Gibbs sampler at the stored data and plate sizes, with its own state (one per chain); another chain's sampler lends it its read-only copies of the observations.</summary>");
                w.Line($"public {Conjugate}.IConjugateSweep CreateSweep({Conjugate}.IConjugateSweep? sharing = null) => new ConjugateSweep(this, sharing as ConjugateSweep);");
                w.Line();
                w.Line($"/// <summary>Each latent drawn from its full conditional given the others: {string.Join("; ", sweep.Steps.Select(step => step.Draws))}.</summary>");
                using (w.Block($"private sealed class ConjugateSweep : {Conjugate}.IConjugateSweep"))
                {
                    EmitFields(w, spec, plan, latents, observed);
                    EmitConstructor(w, spec, plan, latents, observed);
                    EmitAccess(w, latents);
                    using (w.Block("public void Sweep(ref global::Dsl.Runtime.Random.RandomStream random, bool warmup)"))
                    {
                        if (plan.Slices.Count > 0) w.Line("adapting = warmup; // warm-up sweeps tune the slice widths");
                        else w.Line("_ = warmup; // closed-form draws have nothing to tune");
                        foreach (var step in sweep.Steps) w.Line($"{step.Method}(ref random);");
                    }
                    w.Line();
                    foreach (var enumerated in plan.Enumerated) EmitEnumerated(w, spec, enumerated);
                    foreach (var update in plan.Switches) EmitSwitches(w, spec, update);
                    for (var b = 0; b < plan.Blocks.Count; b++) NormalBlockEmitter.EmitUpdate(w, spec, b, plan.Blocks[b], () => EmitLocals(w, spec));
                    foreach (var update in plan.Updates) EmitUpdate(w, spec, update);
                    foreach (var slice in plan.Slices) SliceUpdateEmitter.Emit(w, spec, slice, writer => EmitLocals(writer, spec));
                }
            }
            return new GeneratedFile($"{spec.ClassName}.Conjugate.g.cs", w.ToString());
        }

        /// <summary>A latent's current values or an observation's copy in the sampler, row-major (the names the sampler's log-density rules read too).</summary>
        public static string State(NodeSpec node) => node.Role == NodeRole.Latent ? ReverseMode.Value(node) : ReverseMode.Observed(node);

        /// <summary>Expressions over loop variables, latents and observations read from the sampler's state (a plate-valued one as an int).</summary>
        public static CodeExpr Code(ModelSpec spec, IEnumerable<string> variables, IReadOnlyDictionary<string, string>? hoisted = null) =>
            new(spec, variables.ToDictionary(v => v, v => v), hoisted,
                (node, position) => node.Kind == ValueKind.Index ? $"((int){State(node)}[{position}])" : $"{State(node)}[{position}]");

        private static string Length(NodeSpec node) => node.Indices.Count == 0 ? "1" : string.Join(" * ", node.Indices.Select(i => $"model.{CodeExpr.Size(i.Plate)}"));

        private static string First(ConjugateUpdate update) => $"{update.Latent}First";

        private static string Second(ConjugateUpdate update) => $"{update.Latent}Second";

        private static void EmitFields(SourceWriter w, ModelSpec spec, ConjugatePlan plan, List<NodeSpec> latents, List<NodeSpec> observed)
        {
            w.Line($"private readonly {spec.ClassName} model;");
            foreach (var node in latents) w.Line($"private readonly double[] {State(node)}; // {node.Name}'s current values (line {node.Declaration.Location.Line})");
            foreach (var node in observed) w.Line($"private readonly double[] {State(node)}; // {node.Name}'s observed values");
            foreach (var update in plan.Updates)
                w.Line(update.Second is null
                    ? $"private readonly double[] {First(update)}; // per entry of {update.Latent}: its children's counts"
                    : $"private readonly double[] {First(update)}, {Second(update)}; // per entry of {update.Latent}: its children's statistics");
            foreach (var enumerated in plan.Enumerated)
                w.Line($"private readonly double[] {SummedLatentEmitter.Weights(ExprTools.Find(spec, enumerated.Latent)!)}; // one entry of {enumerated.Latent}: each value's log weight");
            foreach (var update in plan.Switches)
                w.Line($"private readonly {Conjugate}.SwitchRow {SwitchRow(update)}; // one row of {update.Latent}: weights, counts, prior logits, states");
            if (plan.Updates.Any(u => u.Family == ConjugateFamily.Dirichlet)) w.Line("private readonly double[] ldVector, ldRow; // one Dirichlet row's concentrations and draw");
            for (var b = 0; b < plan.Blocks.Count; b++) NormalBlockEmitter.EmitFields(w, spec, b, plan.Blocks[b]);
            if (plan.Slices.Count > 0) w.Line("private bool adapting; // whether this sweep is a warm-up one, whose slice steps tune their widths");
            foreach (var slice in plan.Slices) SliceUpdateEmitter.EmitWidthField(w, slice);
            w.Line();
        }

        private static void EmitConstructor(SourceWriter w, ModelSpec spec, ConjugatePlan plan, List<NodeSpec> latents, List<NodeSpec> observed)
        {
            using (w.Block($"public ConjugateSweep({spec.ClassName} model, ConjugateSweep? sharing)"))
            {
                w.Line("this.model = model;");
                EmitHelpers.FixedEntryChecks(w, spec, "model.");
                foreach (var node in latents) w.Line($"{State(node)} = new double[{Length(node)}];");
                foreach (var node in observed)
                {
                    // Observations are read only: one copy serves every chain of a fit.
                    w.Line($"if (sharing is not null) {State(node)} = sharing.{State(node)};");
                    using (w.Block("else"))
                    {
                        w.Line($"{State(node)} = new double[{Length(node)}];");
                        w.Line(node.Indices.Count == 0 ? $"{State(node)}[0] = model.{node.Name}Values;"
                            : StorageForms.IsCountMatrix(node)
                                ? $"{Models}.RowMajor.CopyFrom(model.{StorageForms.Counts(node)} ?? throw new global::System.InvalidOperationException(\"no counts stored for '{node.Name}'\"), {State(node)});"
                                : $"{Models}.RowMajor.CopyFrom(model.{node.Name}Values, {State(node)});");
                    }
                }
                foreach (var update in plan.Updates)
                {
                    var length = Length(ExprTools.Find(spec, update.Latent)!);
                    w.Line(update.Second is null ? $"{First(update)} = new double[{length}];" : $"({First(update)}, {Second(update)}) = (new double[{length}], new double[{length}]);");
                }
                foreach (var z in plan.Enumerated.Select(e => ExprTools.Find(spec, e.Latent)!))
                    w.Line($"{SummedLatentEmitter.Weights(z)} = new double[{SummedLatentEmitter.Values(z, "model.")}];");
                foreach (var update in plan.Switches)
                    w.Line($"{SwitchRow(update)} = new {Conjugate}.SwitchRow(model.{CodeExpr.Size(Element(spec, update).Plate)});");
                for (var b = 0; b < plan.Blocks.Count; b++) NormalBlockEmitter.EmitAllocations(w, spec, b, plan.Blocks[b]);
                var widest = plan.Updates.Where(u => u.Family == ConjugateFamily.Dirichlet).Select(u => ExprTools.Find(spec, u.Latent)!.Indices.First(i => i.Variable == u.Over))
                    .Select(i => $"model.{CodeExpr.Size(i.Plate)}").Distinct().ToList();
                if (widest.Count > 0)
                {
                    var size = widest.Count == 1 ? widest[0] : $"new[] {{ {string.Join(", ", widest)} }}.Max()";
                    w.Line($"(ldVector, ldRow) = (new double[{size}], new double[{size}]);");
                }
            }
            w.Line();
        }

        private static void EmitAccess(SourceWriter w, List<NodeSpec> latents)
        {
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<string> Latents {{ get; }} = new string[] {{ {string.Join(", ", latents.Select(l => EmitHelpers.Literal(l.Name)))} }};");
            w.Line();
            using (w.Block("public bool TrySetLatent(string node, global::System.ReadOnlySpan<double> values)"))
            using (w.Block("switch (node)"))
            {
                foreach (var node in latents) w.Line($"case {EmitHelpers.Literal(node.Name)}: values.CopyTo({State(node)}); return true;");
                w.Line("default: return false;");
            }
            w.Line();
            using (w.Block("public bool TryReadLatent(string node, global::System.Span<double> destination)"))
            using (w.Block("switch (node)"))
            {
                foreach (var node in latents) w.Line($"case {EmitHelpers.Literal(node.Name)}: {State(node)}.CopyTo(destination); return true;");
                w.Line("default: return false;");
            }
            w.Line();
        }

        private static void EmitUpdate(SourceWriter w, ModelSpec spec, ConjugateUpdate update)
        {
            var latent = ExprTools.Find(spec, update.Latent)!;
            var signature = $"{latent.Name}({string.Join(", ", latent.Indices.Select(i => i.Variable))})";
            w.Line($"/// <summary>");
            w.Line($"/// {update.Entry} (line {latent.Declaration.Location.Line}): {signature} ~ {ExprPrinter.Print(latent.Declaration.Distribution!)}, so");
            w.Line($"/// {signature} | rest ~ {update.Conditional}.");
            w.Line($"/// </summary>");
            using (w.Block($"private void {Lowering.ExactSweep.Name(update.Latent)}(ref global::Dsl.Runtime.Random.RandomStream random)"))
            {
                EmitLocals(w, spec);
                w.Line($"global::System.Array.Clear({First(update)});");
                if (update.Second is not null) w.Line($"global::System.Array.Clear({Second(update)});");
                foreach (var child in update.Children) EmitChild(w, spec, update, child);
                if (update.Family == ConjugateFamily.Dirichlet) EmitDirichletDraw(w, spec, update, latent);
                else EmitScalarDraw(w, spec, update, latent);
            }
            w.Line();
        }

        /// <summary>
        /// Each distinct outermost Sum of the expressions computed once into a local by a plain loop (no closure per
        /// entry); returns the printer that reads those locals in their place.
        /// </summary>
        public static CodeExpr HoistSums(SourceWriter w, ModelSpec spec, IReadOnlyList<string> variables, IEnumerable<Expr?> expressions)
        {
            var code = Code(spec, variables);
            var hoisted = new Dictionary<string, string>();
            foreach (var sum in expressions.Where(e => e is not null).SelectMany(e => SimulationEmitter.Sums(ExprTools.Inline(e!, spec))))
            {
                var text = code.Of(sum);
                if (hoisted.ContainsKey(text)) continue;
                var local = hoisted[text] = $"ldSum{hoisted.Count}";
                var inner = Code(spec, variables.Append(sum.Over.Variable).ToList(), hoisted);
                // A design row times a coefficient vector: one vectorised dot product of two contiguous rows.
                if (sum.Over.Body is BinaryExpr { Operator: '*', Left: NodeCallExpr left, Right: NodeCallExpr right }
                    && Span(spec, left, sum.Over.Variable, inner) is { } leftRow && Span(spec, right, sum.Over.Variable, inner) is { } rightRow)
                {
                    w.Line($"var {local} = global::Dsl.Runtime.Hmc.Rows.Dot({leftRow}, {rightRow});");
                    continue;
                }
                w.Line($"var {local} = 0.0;");
                w.Line($"for (var {sum.Over.Variable} = 0; {sum.Over.Variable} < {CodeExpr.Size(sum.Over.Plate)}; {sum.Over.Variable}++) {local} += {inner.Of(sum.Over.Body)};");
            }
            return Code(spec, variables, hoisted);
        }

        /// <summary>A read along <paramref name="variable"/> as a span of its contiguous row: the sampler's state, or stored data (null otherwise).</summary>
        public static string? Span(ModelSpec spec, NodeCallExpr call, string variable, CodeExpr code) =>
            ContiguousRow.Of(spec, call, variable, code) is not { } row ? null
            : row.Node.Role is NodeRole.Latent or NodeRole.Observed ? row.Slice(State(row.Node))
            : row.Node.Role == NodeRole.Data ? row.Stored
            : null;

        /// <summary>The plate sizes and data an update's expressions read, as locals (the names CodeExpr prints).</summary>
        private static void EmitLocals(SourceWriter w, ModelSpec spec)
        {
            foreach (var plate in spec.Plates) w.Line($"var {CodeExpr.Size(plate.Name)} = model.{CodeExpr.Size(plate.Name)};");
            foreach (var node in spec.Nodes.Where(n => n.Role == NodeRole.Data)) w.Line($"var {node.Name}Values = model.{node.Name}Values;");
        }

        /// <summary>The weights of every value of one entry (the sampler's own rule for a summed-out latent), then a draw from them, entry by entry.</summary>
        private static void EmitEnumerated(SourceWriter w, ModelSpec spec, EnumeratedUpdate update)
        {
            var z = ExprTools.Find(spec, update.Latent)!;
            var children = update.Children.Select(c => ExprTools.Find(spec, c)!).ToList();
            SummedLatentEmitter.EmitWeightsMethod(w, spec, z, children, writer => EmitLocals(writer, spec));
            w.Line("/// <summary>");
            w.Line($"/// Enumeration (line {z.Declaration.Location.Line}): {z.Name}({string.Join(", ", z.Indices.Select(i => i.Variable))}) ~ {ExprPrinter.Print(z.Declaration.Distribution!)}, so each entry is drawn from");
            w.Line($"/// p({z.Name} = v | rest) ∝ p({z.Name} = v) Π p({string.Join(", ", update.Children)} | {z.Name} = v) over its values v.");
            w.Line("/// </summary>");
            using (w.Block($"private void {Lowering.ExactSweep.Name(z.Name)}(ref global::Dsl.Runtime.Random.RandomStream random)"))
            {
                EmitLocals(w, spec);
                using (BindingEmitter.Loops(w, z.Indices))
                {
                    w.Line($"{z.Name}Weights({string.Join(", ", z.Indices.Select(i => i.Variable))});");
                    w.Line($"{State(z)}[{CodeExpr.RowMajor(z.Indices.Select(i => i.Variable).ToList(), z.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList())}] = global::Dsl.Runtime.Sampling.Categorical.SampleRow({SummedLatentEmitter.Weights(z)}, ref random);");
                }
            }
            w.Line();
        }

        private static string SwitchRow(SwitchUpdate update) => $"{update.Latent}Row";

        private static IndexDecl Element(ModelSpec spec, SwitchUpdate update) => ExprTools.Find(spec, update.Latent)!.Indices.First(i => i.Variable == update.Element);

        /// <summary>
        /// Switches a row at a time (<see cref="SwitchEntry"/>): per row, every entry's weight, count, prior logit and
        /// current state gathered, one scan of the runtime's running-sum enumeration, the states written back.
        /// </summary>
        private static void EmitSwitches(SourceWriter w, ModelSpec spec, SwitchUpdate update)
        {
            var z = ExprTools.Find(spec, update.Latent)!;
            var y = ExprTools.Find(spec, update.Child)!;
            var element = Element(spec, update);
            var rows = z.Indices.Where(i => i != element).ToList();
            var code = Code(spec, z.Indices.Select(i => i.Variable));
            // The child read at the switch's own entry: its indices renamed plate by plate to the switch's variables.
            var childAt = new NodeCallExpr(y.Name, y.Indices.Select(i => (Expr)new IndexExpr(z.Indices.First(o => o.Plate == i.Plate).Variable, i.Location)).ToEquatableArray(), y.Declaration.Location);
            var logit = update.Logit is { } l ? code.Of(l) : $"global::System.Math.Log({code.Of(update.Probability)} / (1 - {code.Of(update.Probability)}))";
            var row = SwitchRow(update);
            var flat = CodeExpr.RowMajor(z.Indices.Select(i => i.Variable).ToList(), z.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList());
            w.Line("/// <summary>");
            w.Line($"/// Switches with a running sum (line {z.Declaration.Location.Line}): {z.Name} ~ {ExprPrinter.Print(z.Declaration.Distribution!)} switches entry {element.Variable} of");
            w.Line($"/// {y.Name} ~ {ExprPrinter.Print(y.Declaration.Distribution!)}, weight w = {ExprPrinter.Print(update.Weight)}. A count forces the switch on; otherwise");
            w.Line($"/// logit P({z.Name} = 1 | rest) = ψ − R·log(1 + w / T), T the other switched-on weights of the row, R its total count.");
            w.Line("/// </summary>");
            using (w.Block($"private void {Lowering.ExactSweep.Name(z.Name)}(ref global::Dsl.Runtime.Random.RandomStream random)"))
            {
                EmitLocals(w, spec);
                using (BindingEmitter.Loops(w, rows))
                {
                    using (BindingEmitter.Loops(w, [element]))
                    {
                        w.Line($"var ldE = {flat};");
                        w.Line($"{row}.Weights[{element.Variable}] = {code.Of(update.Weight)};");
                        w.Line($"{row}.Counts[{element.Variable}] = (int){State(y)}[{code.FlatIndex(childAt)}];");
                        w.Line($"{row}.Logits[{element.Variable}] = {logit};");
                        w.Line($"{row}.States[{element.Variable}] = (byte){State(z)}[ldE];");
                    }
                    w.Line($"global::Dsl.Runtime.Inference.Rules.NormalisedWeightEnumeration.Sweep({row}.Weights, {row}.Counts, {row}.Logits, {row}.States, {row}.Workspace, default, ref random);");
                    using (BindingEmitter.Loops(w, [element]))
                        w.Line($"{State(z)}[{flat}] = {row}.States[{element.Variable}];");
                }
            }
            w.Line();
        }

        private static void EmitChild(SourceWriter w, ModelSpec spec, ConjugateUpdate update, ChildStatistics statistics)
        {
            if (statistics.Split is not null)
            {
                EmitSplitChild(w, spec, update, statistics, statistics.Split);
                return;
            }
            var child = ExprTools.Find(spec, statistics.Child)!;
            var code = Code(spec, child.Indices.Select(i => i.Variable));
            w.Line($"// {child.Name}({string.Join(", ", child.Indices.Select(i => i.Variable))}) ~ {ExprPrinter.Print(child.Declaration.Distribution!)}: " +
                $"adds ({ExprPrinter.Print(statistics.First)}{(statistics.Second is null ? "" : $", {ExprPrinter.Print(statistics.Second)}")}) at {ExprPrinter.Print(statistics.Read)}");
            using (w.Braces())
            using (BindingEmitter.Loops(w, child.Indices))
            {
                code = HoistSums(w, spec, Variables(child, statistics.Augment), new[] { statistics.First, statistics.Second, statistics.Augment?.Predictor, statistics.Augment?.Response });
                using (Augment(w, code, statistics.Augment))
                {
                    w.Line($"var ldE = {code.FlatIndex(statistics.Read)};");
                    w.Line($"{First(update)}[ldE] += {code.Of(statistics.First)};");
                    if (statistics.Second is { } second) w.Line($"{Second(update)}[ldE] += {code.Of(second)};");
                }
            }
        }

        /// <summary>
        /// A child whose count is split over a sum's terms (<see cref="AllocationSplit"/>): per entry, the terms at the
        /// current values, the count's allocation y_k ~ Multinomial(y, t_k / Σ t), then each term's statistics at the
        /// entry it reads (a zero count allocates nothing, but a Gamma rate's exposure still adds).
        /// </summary>
        private static void EmitSplitChild(SourceWriter w, ModelSpec spec, ConjugateUpdate update, ChildStatistics statistics, AllocationSplit split)
        {
            var child = ExprTools.Find(spec, statistics.Child)!;
            var k = split.Over.Variable;
            var terms = CodeExpr.Size(split.Over.Plate);
            var code = Code(spec, child.Indices.Select(i => i.Variable).Append(k).Append(AllocationSplit.Variable));
            w.Line($"// {child.Name}({string.Join(", ", child.Indices.Select(i => i.Variable))}) ~ {ExprPrinter.Print(child.Declaration.Distribution!)}: its count split over {split.Over.Plate} {k} " +
                $"in proportion to {ExprPrinter.Print(split.Term)}, each part y_{k} adding ({ExprPrinter.Print(statistics.First)}{(statistics.Second is null ? "" : $", {ExprPrinter.Print(statistics.Second)}")}) at {ExprPrinter.Print(statistics.Read)}");
            using (w.Braces())
            {
                w.Line($"var ldTerms = new double[{terms}];");
                w.Line($"var ldAllocation = new double[{terms}];");
                using (BindingEmitter.Loops(w, child.Indices))
                {
                    w.Line($"for (var {k} = 0; {k} < {terms}; {k}++) ldTerms[{k}] = {code.Of(split.Term)};");
                    w.Line($"var ldTotal = {code.Of(split.Total)};");
                    w.Line($"if (ldTotal > 0) global::Dsl.Runtime.Sampling.Multinomial.SampleRow(ldTotal, ldTerms, ldAllocation, ref random);");
                    w.Line("else global::System.Array.Clear(ldAllocation);");
                    using (w.Block($"for (var {k} = 0; {k} < {terms}; {k}++)"))
                    {
                        w.Line($"var {AllocationSplit.Variable} = ldAllocation[{k}];");
                        w.Line($"var ldE = {code.FlatIndex(statistics.Read)};");
                        w.Line($"{First(update)}[ldE] += {code.Of(statistics.First)};");
                        if (statistics.Second is { } second) w.Line($"{Second(update)}[ldE] += {code.Of(second)};");
                    }
                }
            }
        }

        /// <summary>A child's index variables, and the auxiliary variable where its statistics read one.</summary>
        public static List<string> Variables(NodeSpec child, Augmentation? augment) =>
            child.Indices.Select(i => i.Variable).Concat(augment is null ? Enumerable.Empty<string>() : new[] { augment.Variable }).ToList();

        /// <summary>
        /// Draws a child entry's auxiliary variable at the current predictor: a Pólya-Gamma ω ~ PG(n, ψ), or a probit's
        /// utility u, Normal(η, 1) truncated to the response's side of zero (the mean of n of them for a Binomial), a
        /// Binomial's inside a scope that skips an entry with no trials (it says nothing). Nothing for a child without one.
        /// </summary>
        public static System.IDisposable Augment(SourceWriter w, CodeExpr code, Augmentation? augment)
        {
            if (augment is null) return SourceWriter.Nested(new System.IDisposable[0]);
            if (augment.Kind == AugmentationKind.LatentUtility && augment.Trials is ConstantExpr { Value: 1 })
            {
                w.Line($"// u ~ Normal(η, 1) on the side of zero {ExprPrinter.Print(augment.Response)} says, at the current η = {ExprPrinter.Print(augment.Predictor)}");
                w.Line($"var {augment.Variable} = global::Dsl.Runtime.Sampling.TruncatedNormal.Utility({code.Of(augment.Predictor)}, {code.Of(augment.Response)} == 1, ref random);");
                return SourceWriter.Nested(new System.IDisposable[0]);
            }
            if (augment.Kind == AugmentationKind.LatentUtility)
            {
                w.Line($"// the mean of {ExprPrinter.Print(augment.Trials)} utilities ~ Normal(η, 1), {ExprPrinter.Print(augment.Response)} of them above zero, at the current η = {ExprPrinter.Print(augment.Predictor)}");
                w.Line($"var ldTrials = {code.Of(augment.Trials)};");
                var trialsScope = w.Block("if (ldTrials > 0)");
                w.Line($"var {augment.Variable} = global::Dsl.Runtime.Sampling.TruncatedNormal.MeanUtility({code.Of(augment.Predictor)}, (int)ldTrials, (int){code.Of(augment.Response)}, ref random);");
                return trialsScope;
            }
            w.Line($"// ω ~ PG({ExprPrinter.Print(augment.Trials)}, ψ) at the current logit ψ = {ExprPrinter.Print(augment.Predictor)}");
            if (augment.Trials is ConstantExpr { Value: 1 })
            {
                w.Line($"var {augment.Variable} = global::Dsl.Runtime.Sampling.PolyaGamma.SampleOne({code.Of(augment.Predictor)}, ref random);");
                return SourceWriter.Nested(new System.IDisposable[0]);
            }
            w.Line($"var ldTrials = {code.Of(augment.Trials)};");
            var scope = w.Block("if (ldTrials > 0)");
            w.Line($"var {augment.Variable} = global::Dsl.Runtime.Sampling.PolyaGamma.Sample(ldTrials, {code.Of(augment.Predictor)}, ref random);");
            return scope;
        }

        private static void EmitScalarDraw(SourceWriter w, ModelSpec spec, ConjugateUpdate update, NodeSpec latent)
        {
            var code = Code(spec, latent.Indices.Select(i => i.Variable));
            var draw = update.Family switch
            {
                ConjugateFamily.Normal => $"{Conjugate}.ConjugateDraw.Normal",
                ConjugateFamily.Gamma => $"{Models}.Draw.Gamma",
                ConjugateFamily.InverseGamma => $"{Models}.Draw.InverseGamma",
                _ => $"{Models}.Draw.Beta",
            };
            w.Line($"// every entry from its conditional: the prior's ({ExprPrinter.Print(update.First)}, {ExprPrinter.Print(update.Second!)}) plus the children's sums");
            using (w.Braces())
            using (BindingEmitter.Loops(w, latent.Indices))
            {
                w.Line($"var ldE = {CodeExpr.RowMajor(latent.Indices.Select(i => i.Variable).ToList(), latent.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList())};");
                w.Line($"{State(latent)}[ldE] = {draw}({EmitHelpers.Literal(latent.Name)}, {CodeFolding.Plus(code.Of(update.First), $"{First(update)}[ldE]")}, {CodeFolding.Plus(code.Of(update.Second!), $"{Second(update)}[ldE]")}, ref random);");
            }
        }

        private static void EmitDirichletDraw(SourceWriter w, ModelSpec spec, ConjugateUpdate update, NodeSpec latent)
        {
            var over = latent.Indices.First(i => i.Variable == update.Over);
            var code = Code(spec, latent.Indices.Select(i => i.Variable));
            var position = CodeExpr.RowMajor(latent.Indices.Select(i => i.Variable).ToList(), latent.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList());
            w.Line($"// every row along {over.Plate} from its conditional: the prior's concentrations {ExprPrinter.Print(update.First)} plus the counts on each entry");
            using (w.Braces())
            using (BindingEmitter.Loops(w, latent.Indices.Where(i => i != over)))
            {
                w.Line($"var ldLength = {CodeExpr.Size(over.Plate)};");
                using (w.Block($"for (var {over.Variable} = 0; {over.Variable} < ldLength; {over.Variable}++)"))
                    w.Line($"ldVector[{over.Variable}] = {CodeFolding.Plus(code.Of(update.First), $"{First(update)}[{position}]")};");
                w.Line($"{Models}.Draw.Dirichlet({EmitHelpers.Literal(latent.Name)}, global::System.MemoryExtensions.AsSpan(ldVector, 0, ldLength), global::System.MemoryExtensions.AsSpan(ldRow, 0, ldLength), ref random);");
                using (w.Block($"for (var {over.Variable} = 0; {over.Variable} < ldLength; {over.Variable}++)"))
                    w.Line($"{State(latent)}[{position}] = ldRow[{over.Variable}];");
            }
        }
    }
}
