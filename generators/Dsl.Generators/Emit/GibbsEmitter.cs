using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.GibbsNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Emits <c>{Model}.Gibbs.g.cs</c>: plate sizes, observed storage, latent states and Monte Carlo statistics,
    /// one sweep method per sampling block of the plan, posterior means and checkpoint state.
    /// </summary>
    internal static class GibbsEmitter
    {
        private const string Inference = "global::Dsl.Runtime.Inference";
        private const string Rules = "global::Dsl.Runtime.Inference.Rules";

        public static GeneratedFile Emit(ModelSpec spec, GibbsPlan plan, Lowering.GibbsSchedule schedule)
        {
            var w = EmitHelpers.Header("Gibbs sampler", spec.Namespace, spec.ClassName);
            var arrays = StateArrays.Of(spec, plan);
            using (w.Block($"partial class {spec.ClassName} : {Inference}.IGibbsEmModel"))
            {
                w.Line("private int recordedSweeps;");
                w.Line();
                w.Line("/// <summary>Sweeps recorded in the last E-step: the posterior means average over them.</summary>");
                w.Line("public int RecordedSweeps => recordedSweeps;");
                w.Line();
                w.Line("/// <summary>Whether the latent states exist (after InitializeLatents or LoadState): the current draws are readable.</summary>");
                w.Line("public bool HasLatentState { get; private set; }");
                w.Line();
                foreach (var stream in schedule.Groups.SelectMany(g => g).Select(b => b.Stream).OrderBy(st => st.Key)) w.Line($"private const int {stream.Name} = {stream.Key}; // the random stream of {stream.Draws}");
                w.Line();
                foreach (var array in arrays.All) w.Line($"private {array.Type}[] {array.Name} = new {array.Type}[0]; // {array.Comment}");
                w.Line($"private readonly {Inference}.WorkspacePool workspaces = new(); // the sweeps' scratch, reused");
                w.Line();
                EmitValidate(w, spec);
                EmitAllocate(w, spec, plan, arrays);
                EmitInitialize(w, spec, plan);
                EmitReset(w, arrays);
                EmitSweep(w, spec, plan, schedule);
                foreach (var block in plan.Allocations) EmitAllocationSweep(w, spec, block, schedule.Of(block.Latent));
                foreach (var block in plan.Logistics) EmitLogisticSweep(w, spec, plan, block, schedule.Of(block.Response), Hoisted(spec, block, schedule));
                foreach (var block in plan.Crossed) CrossedBlockEmitter.EmitSweep(w, spec, plan, block, schedule.Of(block.Latent));
                EmitPosteriorMeans(w, spec, plan);
                EmitState(w, spec, plan, arrays);
            }
            return new GeneratedFile($"{spec.ClassName}.Gibbs.g.cs", w.ToString());
        }

        private static void EmitValidate(SourceWriter w, ModelSpec spec)
        {
            using (w.Block("public void ValidateShapes()"))
            {
                foreach (var node in spec.Nodes.Where(n => n.Role is NodeRole.Param or NodeRole.Data or NodeRole.Observed && n.Indices.Count > 0))
                {
                    if (StorageForms.IsCountMatrix(node))
                        w.Line($"{Inference}.ShapeCheck.RequireCounts(\"{node.Name}\", {StorageForms.Counts(node)}, {CodeExpr.Size(node.Indices[0].Plate)}, {CodeExpr.Size(node.Indices[1].Plate)});");
                    else
                        EmitHelpers.ShapeCheck(w, node);
                }
            }
            w.Line();
        }

        private static void EmitAllocate(SourceWriter w, ModelSpec spec, GibbsPlan plan, StateArrays arrays)
        {
            w.Line("/// <summary>Sizes every state and statistic array from the plate sizes and copies counts into replicate-major order.</summary>");
            using (w.Block("private void Allocate()"))
            {
                foreach (var array in arrays.All.Where(a => !a.Grows)) w.Line($"{array.Name} = new {array.Type}[{array.Length}];");
                foreach (var block in plan.Allocations)
                {
                    var x = ExprTools.Find(spec, block.Observed)!;
                    var vars = x.Indices.ToDictionary(n => n.Variable, n => n.Plate == block.Element.Plate ? block.Element.Variable : block.Replicate.Variable);
                    EmitCountCopy(w, x, vars, $"{Counts(x.Name)}[{block.Replicate.Variable} * {CodeExpr.Size(block.Element.Plate)} + {block.Element.Variable}]");
                }
                foreach (var block in plan.Logistics.Where(b => b.Child is not null))
                {
                    var y = ExprTools.Find(spec, block.Child!.Observed)!;
                    var vars = new Dictionary<string, string>();
                    foreach (var index in y.Indices) vars[index.Variable] = ResponseVariable(spec, block, index.Plate);
                    EmitCountCopy(w, y, vars, $"{Counts(y.Name)}[{ReplicateIndex(block)} * {CodeExpr.Size(block.Element.Plate)} + {block.Element.Variable}]");
                }
                w.Line("HasLatentState = true;");
            }
            w.Line();
        }

        /// <summary>
        /// Copies an observed count matrix into a replicate-major array (zeroed by its allocation): only its stored
        /// entries are visited, each row's variable and each entry's column variable named as the target reads them.
        /// </summary>
        private static void EmitCountCopy(SourceWriter w, NodeSpec observed, IReadOnlyDictionary<string, string> vars, string target)
        {
            var matrix = StorageForms.Counts(observed);
            using (w.Block($"for (var row = 0; row < {matrix}!.Cells; row++)"))
            {
                w.Line($"var {vars[observed.Indices[0].Variable]} = row;");
                w.Line($"var columns = {matrix}.RowColumns(row);");
                w.Line($"var values = {matrix}.RowValues(row);");
                using (w.Block("for (var entry = 0; entry < columns.Length; entry++)"))
                {
                    w.Line($"var {vars[observed.Indices[1].Variable]} = columns[entry];");
                    w.Line($"{target} = (int)values[entry];");
                }
            }
        }

        /// <summary>The lowered schedule's hoisted reads of a logistic block as C#: each read's access and its local.</summary>
        internal static Dictionary<string, string> Hoisted(ModelSpec spec, LogisticBlock block, Lowering.GibbsSchedule schedule)
        {
            var code = new CodeExpr(spec, SlotVars(spec, block, null));
            var reads = new Dictionary<string, string>();
            foreach (var read in schedule.Of(block.Response).Hoisted) reads[code.Access(read.Call)] = read.Local;
            return reads;
        }

        /// <summary>Where a design column starts.</summary>
        private static string ColumnOffset(string column) =>
            column == "0" ? "0" : column == "1" ? "elements" : column.Contains(" ") ? $"({column}) * elements" : $"{column} * elements";

        /// <summary>Where a design column starts, as a prefix of an element index ("" for column 0).</summary>
        private static string ColumnStart(string column) => column == "0" ? "" : ColumnOffset(column) + " + ";

        private static string ResponseVariable(ModelSpec spec, LogisticBlock block, string plate) =>
            ExprTools.Find(spec, block.Response)!.Indices.First(i => i.Plate == plate).Variable;


        private static void EmitInitialize(SourceWriter w, ModelSpec spec, GibbsPlan plan)
        {
            w.Line("/// <summary>Starts every latent at its prior mean (Dirichlet: the normalised concentration) and every switch on.</summary>");
            using (w.Block("public void InitializeLatents(ulong seed)"))
            {
                w.Line("ValidateShapes();");
                w.Line("Allocate();");
                w.Line("recordedSweeps = 0;");
                foreach (var block in plan.Allocations)
                {
                    var k = block.Mixture;
                    var code = new CodeExpr(spec, Vars(block.Mixture, block.Replicate));
                    using (w.Block($"for (var {block.Replicate.Variable} = 0; {block.Replicate.Variable} < {CodeExpr.Size(block.Replicate.Plate)}; {block.Replicate.Variable}++)"))
                    {
                        w.Line($"var state = {State(block.Latent)}.AsSpan({block.Replicate.Variable} * {CodeExpr.Size(k.Plate)}, {CodeExpr.Size(k.Plate)});");
                        w.Line("var total = 0.0;");
                        w.Line($"for (var {k.Variable} = 0; {k.Variable} < {CodeExpr.Size(k.Plate)}; {k.Variable}++) total += state[{k.Variable}] = {code.Of(block.Concentration)};");
                        w.Line("for (var n = 0; n < state.Length; n++) state[n] /= total;");
                    }
                }
                foreach (var block in plan.Logistics)
                {
                    foreach (var slot in DistinctSlots(block))
                    {
                        var code = new CodeExpr(spec, SlotVars(spec, block, slot));
                        using (Loop(w, block.Replicate))
                        using (Loop(w, slot.Over))
                            w.Line($"{State(slot.Latent)}[{SlotIndex(block, slot, ReplicateIndex(block), slot.Over?.Variable)}] = {code.Of(slot.PriorMean)};");
                    }
                    if (block.ResponseIsLatent) w.Line($"{State(block.Response)}.AsSpan().Fill(1);");
                }
                foreach (var block in plan.Crossed) CrossedBlockEmitter.EmitInitialize(w, spec, block);
            }
            w.Line();
        }

        private static void EmitReset(SourceWriter w, StateArrays arrays)
        {
            using (w.Block("public void ResetStatistics()"))
            {
                w.Line("recordedSweeps = 0;");
                foreach (var array in arrays.All.Where(a => a.IsStatistic)) w.Line($"global::System.Array.Clear({array.Name});");
            }
            w.Line();
        }


        /// <summary>Index variables of a slot's expressions: the response's own, plus the summed plate's.</summary>
        internal static Dictionary<string, string> SlotVars(ModelSpec spec, LogisticBlock block, CoefficientSlot? slot)
        {
            var vars = ExprTools.Find(spec, block.Response)!.Indices.ToDictionary(i => i.Variable, i => i.Variable);
            if (slot?.Over is { } over) vars[over.Variable] = over.Variable;
            return vars;
        }

        private static void EmitSweep(SourceWriter w, ModelSpec spec, GibbsPlan plan, Lowering.GibbsSchedule schedule)
        {
            w.Line(schedule.Together
                ? "/// <summary>One Gibbs sweep. No block reads another's latents, so all blocks' replicates run in one parallel loop.</summary>"
                : "/// <summary>One Gibbs sweep: every block in turn, each parallel over its independent replicates.</summary>");
            using (w.Block($"public void Sweep({Inference}.SweepContext context)"))
            {
                using (w.Block("if (context.Record)"))
                {
                    w.Line("recordedSweeps++;");
                    foreach (var block in plan.Logistics.Where(KeepsResponseDraws))
                    {
                        var length = $"{Replicates(block)} * {CodeExpr.Size(block.Element.Plate)}";
                        w.Line($"if ({Samples(block)}.Length < recordedSweeps * {length}) global::System.Array.Resize(ref {Samples(block)}, 2 * recordedSweeps * {length});");
                    }
                    foreach (var block in plan.Logistics.Where(b => KeepsLatentDraws(plan, b)))
                        foreach (var slot in DistinctSlots(block))
                            w.Line($"if ({Draws(slot.Latent)}.Length < recordedSweeps * {Replicates(block)}) global::System.Array.Resize(ref {Draws(slot.Latent)}, 2 * recordedSweeps * {Replicates(block)});");
                    foreach (var block in plan.Crossed.Where(b => CrossedBlockEmitter.KeepsDraws(plan, b)))
                    {
                        var entries = CrossedBlockEmitter.Entries(spec, block);
                        w.Line($"if ({Draws(block.Latent)}.Length < recordedSweeps * {entries}) global::System.Array.Resize(ref {Draws(block.Latent)}, 2 * recordedSweeps * {entries});");
                    }
                }
                foreach (var block in schedule.Groups.SelectMany(g => g).Where(b => b.PreparedPerSweep)) w.Line($"Prepare{block.Name}();");
                foreach (var group in schedule.Groups)
                {
                    var doubles = group.Select(b => $"{b.Name}WorkspaceDoubles").Aggregate((a, b) => $"global::System.Math.Max({a}, {b})");
                    var bytes = group.Select(b => $"{b.Name}WorkspaceBytes").Aggregate((a, b) => $"global::System.Math.Max({a}, {b})");
                    w.Line($"global::System.Threading.Tasks.Parallel.For(0, {string.Join(" + ", group.Select(Count))}, context.Parallelism,");
                    w.Line($"    () => workspaces.Rent({doubles}, {bytes}),");
                    w.Line("    (replicate, _, work) =>");
                    w.Line("    {");
                    using (w.Indent(2))
                    {
                        var start = "";
                        for (var n = 0; n < group.Count; n++)
                        {
                            var index = start.Length == 0 ? "replicate" : start.Contains(" ") ? $"replicate - ({start})" : $"replicate - {start}";
                            var call = $"{SweepMethod(group[n].Name)}({index}, work, context);";
                            if (group.Count == 1) w.Line(call);
                            else if (n == 0) w.Line($"if (replicate < {Count(group[n])}) {call}");
                            else if (n < group.Count - 1) w.Line($"else if (replicate < {start} + {Count(group[n])}) {call}");
                            else w.Line($"else {call}");
                            start = start.Length == 0 ? Count(group[n]) : $"{start} + {Count(group[n])}";
                        }
                        w.Line("return work;");
                    }
                    w.Line("    },");
                    w.Line("    workspaces.Return);");
                }
            }
            w.Line();
        }

        /// <summary>How many replicates a scheduled block runs over.</summary>
        private static string Count(Lowering.ScheduledBlock block) => block.ReplicatePlates.Count == 0 ? "1" : string.Join(" * ", block.ReplicatePlates.Select(CodeExpr.Size));

        private static void EmitAllocationSweep(SourceWriter w, ModelSpec spec, AllocationBlock block, Lowering.ScheduledBlock scheduled)
        {
            var (k, i, r) = (block.Mixture, block.Element, block.Replicate);
            var (K, N) = (CodeExpr.Size(k.Plate), CodeExpr.Size(i.Plate));
            var code = new CodeExpr(spec, Vars(k, i, r));
            // Profiles that do not vary with the replicate (URSM's A) are written once per sweep, not once per replicate.
            var shared = scheduled.PreparedPerSweep;
            var profileLoop = $"for (var {k.Variable} = 0; {k.Variable} < components; {k.Variable}++) for (var {i.Variable} = 0; {i.Variable} < elements; {i.Variable}++) " +
                $"profiles[{k.Variable} * elements + {i.Variable}] = {code.Of(block.Profile)};";
            if (shared)
            {
                w.Line($"private double[] {block.Latent}Profiles = new double[0]; // block {block.Id}'s profiles, component-major, written once per sweep for every replicate");
                w.Line();
                w.Line($"/// <summary>Block {block.Id}'s profiles for this sweep, shared by every replicate.</summary>");
                using (w.Block($"private void Prepare{block.Latent}()"))
                {
                    w.Line($"var components = {K};");
                    w.Line($"var elements = {N};");
                    w.Line($"var profiles = {VariationalNames.Neural}.Buffers.Ensure(ref {block.Latent}Profiles, elements * components);");
                    w.Line(profileLoop);
                }
                w.Line();
            }
            WorkspaceEmitter.EmitSizes(w, block.Latent, scheduled.Workspace, new Dictionary<string, string> { ["components"] = K, ["elements"] = N });
            w.Line($"/// <summary>");
            w.Line($"/// Block {block.Id} for one replicate (line {block.Line}): {block.Latent} ~ Dirichlet over {k.Plate}, mixing the profiles of {block.Observed};");
            w.Line($"/// allocation counts split each count among the {k.Plate} components, then {block.Latent} is conjugate (URSM eq 3.1-3.3).");
            w.Line($"/// </summary>");
            using (w.Block($"private void {SweepMethod(block.Latent)}(int {r.Variable}, {Inference}.Workspace work, {Inference}.SweepContext context)"))
            {
                w.Line($"var components = {K};");
                w.Line($"var elements = {N};");
                if (shared) w.Line($"var profiles = {block.Latent}Profiles;");
                w.Line($"var random = context.RandomFor({Lowering.RandomStreams.Name(block)}, {r.Variable});");
                WorkspaceEmitter.EmitSlices(w, scheduled.Workspace);
                if (!shared) w.Line(profileLoop);
                w.Line($"for (var {k.Variable} = 0; {k.Variable} < components; {k.Variable}++) concentration[{k.Variable}] = {code.Of(block.Concentration)};");
                w.Line($"var mixing = {State(block.Latent)}.AsSpan({r.Variable} * components, components);");
                w.Line($"var counts = {Counts(block.Observed)}.AsSpan({r.Variable} * elements, elements);");
                w.Line($"var expected = context.Record ? {AllocationSum(block)}.AsSpan({r.Variable} * components * elements, components * elements) : default;");
                w.Line($"var logMixing = {Rules}.DirichletAllocation.Sweep(profiles, counts, concentration, mixing, expected, scratch, work.Bytes, ref random);");
                using (w.Block("if (context.Record)"))
                using (w.Block("for (var n = 0; n < components; n++)"))
                {
                    w.Line($"{Sum(block.Latent)}[{r.Variable} * components + n] += mixing[n];");
                    w.Line($"{LogSum(block.Latent)}[{r.Variable} * components + n] += logMixing[n];");
                }
            }
            w.Line();
        }

        internal static NodeCallExpr Call(NodeSpec node) =>
            new(node.Name, node.Indices.Select(i => (Expr)new IndexExpr(i.Variable, i.Location)).ToEquatableArray(), node.Declaration.Location);

        private static void EmitLogisticSweep(SourceWriter w, ModelSpec spec, GibbsPlan plan, LogisticBlock block, Lowering.ScheduledBlock scheduled,
            IReadOnlyDictionary<string, string> hoisted)
        {
            if (block.Probability is not null)
            {
                SliceBlockEmitter.EmitSweep(w, spec, block, scheduled, hoisted);
                return;
            }
            var e = block.Element;
            var r = ReplicateIndex(block);
            var columns = SlotOffsets(block);
            var pg = PolyaGammaTerms(plan, block);
            var hasOffset = block.Offsets.Count > 0;
            var (dimension, size) = (Dimension(block), CodeExpr.Size(e.Plate));
            WorkspaceEmitter.EmitSizes(w, block.Response, scheduled.Workspace, new Dictionary<string, string> { ["dimension"] = dimension, ["elements"] = size });
            w.Line("/// <summary>");
            w.Line($"/// Block {block.Id} for one replicate (line {block.Line}): {block.Response} is a logistic-link Bernoulli; Polya-Gamma variables make its coefficients");
            w.Line($"/// ({string.Join(", ", DistinctSlots(block).Select(s => s.Latent))}) Gaussian-conjugate (URSM eq 3.4-3.5)" + (block.Child is { } c
                ? $"; then {block.Response} is enumerated over its Markov blanket through {c.Observed}, with a running sum." : "."));
            w.Line("/// </summary>");
            using (w.Block($"private void {SweepMethod(block.Response)}(int {(block.Replicate is { } rep ? rep.Variable : "replicate")}, {Inference}.Workspace work, {Inference}.SweepContext context)"))
            {
                w.Line($"var dimension = {dimension};");
                w.Line($"var elements = {size};");
                w.Line($"var random = context.RandomFor({Lowering.RandomStreams.Name(block)}, {(block.Replicate is { } rr ? rr.Variable : "replicate")});");
                WorkspaceEmitter.EmitSlices(w, scheduled.Workspace);
                if (!hasOffset) w.Line("var offset = global::System.Span<double>.Empty; // psi has no latent-free terms");
                if (block.ResponseIsLatent) w.Line($"var state = {State(block.Response)}.AsSpan({r} * elements, elements);");
                foreach (var read in hoisted) w.Line($"var {read.Value} = {read.Key}; // the same for every element of this replicate");
                var responseNode = ExprTools.Find(spec, block.Response)!;
                // The design is column-major: column j holds coefficient j's covariate for every element.
                using (w.Block($"for (var {e.Variable} = 0; {e.Variable} < elements; {e.Variable}++)"))
                {
                    for (var s = 0; s < block.Slots.Count; s++)
                    {
                        var slot = block.Slots[s];
                        var code = new CodeExpr(spec, SlotVars(spec, block, slot), hoisted);
                        if (slot.Over is { } over)
                            w.Line($"for (var {over.Variable} = 0; {over.Variable} < {CodeExpr.Size(over.Plate)}; {over.Variable}++) design[({columns[s]} + {over.Variable}) * elements + {e.Variable}] = {code.Of(slot.Coefficient)};");
                        else
                            w.Line($"design[{ColumnStart(columns[s])}{e.Variable}] = {code.Of(slot.Coefficient)};");
                    }
                    if (hasOffset)
                        w.Line($"offset[{e.Variable}] = {new CodeExpr(spec, SlotVars(spec, block, null), hoisted, CrossedBlockEmitter.CurrentDraw).Of(OffsetSum(block))};");
                    w.Line(block.ResponseIsLatent
                        ? $"response[{e.Variable}] = state[{e.Variable}];"
                        : $"response[{e.Variable}] = {new CodeExpr(spec, SlotVars(spec, block, null), hoisted).Access(Call(responseNode))};");
                }
                for (var s = 0; s < block.Slots.Count; s++)
                {
                    var slot = block.Slots[s];
                    var code = new CodeExpr(spec, SlotVars(spec, block, slot), hoisted);
                    var at = slot.Over is { } o ? $"{columns[s]} + {o.Variable}" : columns[s];
                    using (Loop(w, slot.Over))
                    {
                        w.Line($"priorMean[{at}] = {code.Of(slot.PriorMean)};");
                        w.Line($"priorVariance[{at}] = {code.Variance(slot.PriorSd)};");
                        w.Line($"coefficients[{at}] = {State(slot.Latent)}[{SlotIndex(block, slot, r, slot.Over?.Variable)}];");
                    }
                }
                w.Line($"{Rules}.PolyaGammaLogistic.Sweep(design, offset, response, priorMean, priorVariance, coefficients, omega, psi, scratch, ref random);");
                for (var s = 0; s < block.Slots.Count; s++)
                {
                    var slot = block.Slots[s];
                    var at = slot.Over is { } o ? $"{columns[s]} + {o.Variable}" : columns[s];
                    using (Loop(w, slot.Over))
                        w.Line($"{State(slot.Latent)}[{SlotIndex(block, slot, r, slot.Over?.Variable)}] = coefficients[{at}];");
                }
                w.Line($"{Rules}.PolyaGammaLogistic.LinearPredictor(design, offset, coefficients, psi);");
                if (block.Child is { } child)
                {
                    var code = new CodeExpr(spec, SlotVars(spec, block, null), hoisted);
                    w.Line(scheduled.WeightColumn is { } column
                        ? $"design.Slice({ColumnOffset(columns[column])}, elements).CopyTo(weights); // the weight is that column's covariate"
                        : $"for (var {e.Variable} = 0; {e.Variable} < elements; {e.Variable}++) weights[{e.Variable}] = {code.Of(child.Weight)};");
                    w.Line($"{Rules}.NormalisedWeightEnumeration.Sweep(weights, {Counts(child.Observed)}.AsSpan({r} * elements, elements), psi, state, enumeration, onProbability, ref random);");
                }
                else if (block.ResponseIsLatent)
                {
                    w.Line($"for (var {e.Variable} = 0; {e.Variable} < elements; {e.Variable}++) state[{e.Variable}] = random.NextDouble() < global::Dsl.Runtime.Special.SpecialFunctions.Logistic(psi[{e.Variable}]) ? (byte)1 : (byte)0;");
                }
                using (w.Block("if (context.Record)"))
                {
                    for (var s = 0; s < block.Slots.Count; s++)
                    {
                        var slot = block.Slots[s];
                        if (DistinctSlots(block).First(d => d.Latent == slot.Latent) != slot) continue;
                        var at = slot.Over is { } o ? $"{columns[s]} + {o.Variable}" : columns[s];
                        using (Loop(w, slot.Over))
                        {
                            var index = SlotIndex(block, slot, r, slot.Over?.Variable);
                            w.Line($"{Sum(slot.Latent)}[{index}] += coefficients[{at}];");
                            w.Line($"{SquareSum(slot.Latent)}[{index}] += coefficients[{at}] * coefficients[{at}];");
                            if (KeepsLatentDraws(plan, block)) w.Line($"{Draws(slot.Latent)}[(recordedSweeps - 1) * {Replicates(block)} + {r}] = coefficients[{at}];");
                        }
                    }
                    if (block.ResponseIsLatent)
                    {
                        w.Line($"var sums = {Sum(block.Response)}.AsSpan({r} * elements, elements);");
                        // E[response] is the mean of its full-conditional probabilities (Rao-Blackwell), not of its 0/1 draws.
                        w.Line(block.Child is not null
                            ? "for (var n = 0; n < elements; n++) sums[n] += onProbability[n];"
                            : "for (var n = 0; n < elements; n++) sums[n] += global::Dsl.Runtime.Special.SpecialFunctions.Logistic(psi[n]);");
                    }
                    if (block.Child is not null)
                        w.Line($"state.CopyTo({Samples(block)}.AsSpan(((recordedSweeps - 1) * {Replicates(block)} + {r}) * elements, elements));");
                    foreach (var term in pg)
                        EmitPolyaGammaStatistics(w, spec, block, term, columns, hoisted);
                }
            }
            w.Line();
        }

        /// <summary>
        /// Statistics for a parameter that psi is affine in through g, an expression of one of its entries, as a covariate
        /// of coefficients and as offset terms, each g times a factor free of it: with psi = rest + slope * g, slope =
        /// sum of coefficient * factor over the covariates plus the offsets' factors, E[(y - 1/2) psi - omega psi^2 / 2]
        /// = const + g E[(y - 1/2) slope - omega rest slope] - g^2 E[omega slope^2] / 2.
        /// </summary>
        private static void EmitPolyaGammaStatistics(SourceWriter w, ModelSpec spec, LogisticBlock block, GradientTerm term, IReadOnlyList<string> columns,
            IReadOnlyDictionary<string, string> hoisted)
        {
            var code = new CodeExpr(spec, SlotVars(spec, block, null), hoisted, CrossedBlockEmitter.CurrentDraw);
            var p = term.Access.Node;
            string Scaled(string value, Expr factor) => factor is ConstantExpr { Value: 1 } ? value : $"{value} * {code.Of(factor)}";
            var slopes = block.Slots.Select((s, n) => (s, n)).Where(q => ExprTools.Mentions(q.s.Coefficient, p))
                .Select(q => Scaled($"coefficients[{columns[q.n]}]", ExprTools.AffineSplit(q.s.Coefficient, p)!.Value.Cofactor))
                .Concat(block.Offsets.Where(o => ExprTools.Mentions(o, p)).Select(o => ExprTools.AffineSplit(o, p)!.Value.Cofactor is var c && c is ConstantExpr { Value: 1 } ? "1.0" : code.Of(c)));
            var r = ReplicateIndex(block);
            using (w.Block($"for (var {block.Element.Variable} = 0; {block.Element.Variable} < elements; {block.Element.Variable}++)"))
            {
                var e = block.Element.Variable;
                w.Line($"var slope = {string.Join(" + ", slopes)}; // d psi / d {ExprPrinter.Print(term.Within!)}");
                w.Line($"var rest = psi[{e}] - slope * {code.Of(term.Within!)};");
                w.Line($"var at = {r} * elements + {e};");
                var y = block.ResponseIsLatent ? $"state[{e}]" : $"response[{e}]";
                w.Line($"{PgLinear(block, p)}[at] += ({y} - 0.5) * slope - omega[{e}] * rest * slope;");
                w.Line($"{PgQuadratic(block, p)}[at] += omega[{e}] * slope * slope;");
            }
        }

        /// <summary>
        /// Whether a block keeps every recorded draw of its coefficients: a slice-sampled one (its Monte Carlo M-step
        /// terms read them), or one whose coefficients' prior an M-step term reads (a regression in the prior's mean).
        /// </summary>
        public static bool KeepsLatentDraws(GibbsPlan plan, LogisticBlock block) =>
            block.Probability is not null || plan.Gradients.SelectMany(g => g.Terms).Any(t => t.Kind == GradientTermKind.LatentPrior && t.Block == block.Id);

        /// <summary>The parameters (one term each) whose Polya-Gamma statistics this block records.</summary>
        public static IReadOnlyList<GradientTerm> PolyaGammaTerms(GibbsPlan plan, LogisticBlock block) =>
            plan.Gradients.SelectMany(g => g.Terms).Where(t => t.Kind == GradientTermKind.PolyaGammaCoefficient && t.Block == block.Id).ToList();

        /// <summary>The terms of a block's psi besides its coefficients' (free of latents but for crossed coefficients at their current draws), added up.</summary>
        private static Expr OffsetSum(LogisticBlock block) =>
            block.Offsets.Skip(1).Aggregate(block.Offsets[0], (sum, term) => new BinaryExpr('+', sum, term, term.Location));


        private static void EmitPosteriorMeans(SourceWriter w, ModelSpec spec, GibbsPlan plan)
        {
            foreach (var block in plan.Allocations)
            {
                var node = ExprTools.Find(spec, block.Latent)!;
                Accessor(w, node, $"[{block.Replicate.Variable}.Value * {CodeExpr.Size(block.Mixture.Plate)} + {block.Mixture.Variable}.Value]");
            }
            foreach (var block in plan.Logistics)
            {
                foreach (var slot in DistinctSlots(block))
                {
                    var node = ExprTools.Find(spec, slot.Latent)!;
                    var replicate = block.Replicate is { } rp ? node.Indices.First(i => i.Plate == rp.Plate).Variable + ".Value" : "0";
                    var over = slot.Over is { } o ? node.Indices.First(i => i.Plate == o.Plate).Variable + ".Value" : null;
                    Accessor(w, node, $"[{SlotIndex(block, slot, replicate, over)}]");
                }
                if (block.ResponseIsLatent)
                {
                    var node = ExprTools.Find(spec, block.Response)!;
                    var replicate = block.Replicate is { } rp ? node.Indices.First(i => i.Plate == rp.Plate).Variable + ".Value" : "0";
                    Accessor(w, node, $"[{replicate} * {CodeExpr.Size(block.Element.Plate)} + {node.Indices.First(i => i.Plate == block.Element.Plate).Variable}.Value]");
                }
                if (block.Child is not null) EmitPlugInMeans(w, block);
            }
            foreach (var block in plan.Crossed) CrossedBlockEmitter.EmitPosteriorMean(w, spec, block);
        }

        private static void EmitPlugInMeans(SourceWriter w, LogisticBlock block)
        {
            w.Line($"/// <summary>E[{block.Response}] per entry, replicate-major (the paper's plug-in M-step).</summary>");
            using (w.Block($"private double[] {MStepEmitter.PlugInMeans(block)}()"))
            {
                w.Line($"var means = new double[{Sum(block.Response)}.Length];");
                w.Line($"for (var n = 0; n < means.Length; n++) means[n] = {Sum(block.Response)}[n] / recordedSweeps;");
                w.Line("return means;");
            }
            w.Line();
        }

        /// <summary>The posterior mean and the current draw of a latent; <paramref name="position"/> indexes its state and its sum alike.</summary>
        internal static void Accessor(SourceWriter w, NodeSpec node, string position)
        {
            var parameters = string.Join(", ", node.Indices.Select(i => i.Plate + " " + i.Variable));
            w.Line($"/// <summary>Posterior mean of [Latent] {node.Name} over the sweeps recorded in the last E-step.</summary>");
            w.Line($"public double {node.Name}PosteriorMean({parameters}) => {Sum(node.Name)}{position} / recordedSweeps;");
            w.Line();
            w.Line($"/// <summary>The current draw of [Latent] {node.Name}: after a sweep, one sample of its conditional posterior.</summary>");
            w.Line($"public double {node.Name}Draw({parameters}) => {State(node.Name)}{position};");
            w.Line();
        }

        private static void EmitState(SourceWriter w, ModelSpec spec, GibbsPlan plan, StateArrays arrays)
        {
            var parameters = spec.Nodes.Where(n => n.Role == NodeRole.Param).ToList();
            w.Line("/// <summary>Plate sizes, parameters, optimiser steps, latent states and statistics: all a resumed run needs.</summary>");
            using (w.Block("public void SaveState(global::System.IO.BinaryWriter writer)"))
            {
                foreach (var plate in spec.Plates) w.Line($"writer.Write({CodeExpr.Size(plate.Name)});");
                foreach (var p in parameters)
                    w.Line(p.Indices.Count == 0 ? $"writer.Write({p.Name}Values);" : $"{Inference}.ParameterArrays.Write<double>(writer, {Inference}.ParameterArrays.Flat({p.Name}Values));");
                foreach (var update in plan.Gradients) w.Line($"writer.Write({Ascent(update)}.Step);");
                w.Line("writer.Write(recordedSweeps);");
                foreach (var array in arrays.All.Where(a => !a.Grows)) w.Line($"{Inference}.ParameterArrays.Write(writer, {array.Name});");
            }
            w.Line();
            using (w.Block("public void LoadState(global::System.IO.BinaryReader reader)"))
            {
                foreach (var plate in spec.Plates)
                    w.Line($"if (reader.ReadInt32() != {CodeExpr.Size(plate.Name)}) throw new global::System.IO.InvalidDataException(\"the checkpoint was written for another size of plate {plate.Name}\");");
                w.Line("ValidateShapes();");
                w.Line("Allocate();");
                foreach (var p in parameters)
                    w.Line(p.Indices.Count == 0 ? $"{p.Name}Values = reader.ReadDouble();" : $"{Inference}.ParameterArrays.Read(reader, {Inference}.ParameterArrays.Flat({p.Name}Values), \"{p.Name}\");");
                foreach (var update in plan.Gradients) w.Line($"{Ascent(update)}.Step = reader.ReadDouble();");
                w.Line("recordedSweeps = reader.ReadInt32();");
                foreach (var array in arrays.All.Where(a => !a.Grows)) w.Line($"{Inference}.ParameterArrays.Read(reader, {array.Name}, \"{array.Name}\");");
            }
        }
    }
}
