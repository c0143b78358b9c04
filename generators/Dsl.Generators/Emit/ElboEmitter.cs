using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Emits <c>{Model}.Elbo.g.cs</c>: plate sizes and sparse counts on the model, and the nested
    /// <c>Variational&lt;T&gt;</c> class with its networks, minibatch arrays, the forward pass (encoders,
    /// reparameterised samples, networks) and one method per ELBO term that also seeds the term's gradients.
    /// </summary>
    internal static class ElboEmitter
    {
        public static GeneratedFile Emit(ModelSpec spec, VariationalPlan plan, Lowering.LoweredVariationalPart lowered)
        {
            var w = EmitHelpers.Header("Variational ELBO", spec.Namespace, spec.ClassName);
            using (w.Block($"partial class {spec.ClassName}"))
            {
                EmitShapeChecks(w, spec, plan);
                w.Line("/// <summary>");
                w.Line($"/// Variational inference for {spec.ClassName}: amortised factors q({string.Join(", ", plan.Latents.Select(l => l.Node))} | inputs), the minibatch");
                w.Line("/// ELBO and its gradients, in float (training) or double (gradient checks).");
                w.Line("/// </summary>");
                using (w.Block($"public sealed partial class {plan.ClassName}<T> : {Variational}.IVariationalModel<T> where T : unmanaged, {Number}"))
                {
                    EmitStreams(w, lowered.Streams, initialises: !plan.IsPart);
                    EmitFields(w, spec, plan, lowered.Buffers);
                    EmitConstructor(w, spec, plan);
                    EmitMembers(w, plan);
                    EmitStep(w, plan);
                    if (plan.IsPart) VariationalPartEmitter.EmitHeldBackward(w, plan);
                    EmitPrepare(w, spec, plan, lowered.Buffers);
                    EmitForward(w, spec, plan);
                    foreach (var term in plan.Likelihoods) EmitLikelihood(w, spec, term);
                    foreach (var latent in plan.Latents) EmitDivergence(w, spec, latent);
                    GlobalLatentEmitter.EmitDraw(w, plan);
                    foreach (var global in plan.Globals) GlobalLatentEmitter.EmitDivergence(w, spec, global);
                    foreach (var parameter in plan.Parameters)
                        if (parameter.Prior is { } prior) ParameterPriorEmitter.EmitTerm(w, spec, parameter, prior);
                }
            }
            return new GeneratedFile(VariationalFileName(spec, plan, "Elbo"), w.ToString());
        }

        public static IEnumerable<IGrouping<string, NetworkNode>> Trunks(VariationalPlan plan) => plan.Networks.GroupBy(n => n.TrunkOwner);

        /// <summary>The lowered random-stream parts as named constants (<see cref="Lowering.VariationalStreams"/>).</summary>
        private static void EmitStreams(SourceWriter w, Lowering.VariationalStreams streams, bool initialises)
        {
            if (initialises) EmitStream(w, Lowering.VariationalStreams.Initialisation);
            foreach (var stream in streams.Parts) w.Line($"private const int {stream.Name} = {stream.Key}; // the stream part of {stream.Draws}");
        }

        /// <summary>The initialisation stream's key as a constant, where the family that draws from it is built.</summary>
        public static void EmitStream(SourceWriter w, Lowering.RandomStreams.Stream stream) =>
            w.Line($"private const int {stream.Name} = {stream.Key}; // the stream of {stream.Draws}");

        /// <summary>Observed nodes the engine copies into minibatch rows (likelihoods and encoder inputs).</summary>
        internal static IEnumerable<string> ObservedInputs(VariationalPlan plan) =>
            plan.Likelihoods.Select(l => l.Node).Concat(plan.Latents.SelectMany(l => l.Inputs).Where(i => i.Kind == InputKind.Observed).Select(i => i.Node)).Distinct();

        /// <summary>Numeric data nodes some encoder or network reads as they are.</summary>
        internal static IEnumerable<NetworkInput> CovariateInputs(VariationalPlan plan) =>
            plan.Latents.SelectMany(l => l.Inputs).Concat(plan.Networks.SelectMany(n => n.Inputs)).Where(i => i.Kind == InputKind.Covariate).GroupBy(i => i.Node).Select(g => g.First());

        /// <summary>Observed count nodes some encoder reads through log1p.</summary>
        internal static IEnumerable<string> LogCountInputs(VariationalPlan plan) =>
            plan.Latents.Where(l => l.Encoder.Transform == "Log1p").SelectMany(l => l.Inputs).Where(i => i.Kind == InputKind.Observed && i.Counts).Select(i => i.Node).Distinct();

        private static void EmitShapeChecks(SourceWriter w, ModelSpec spec, VariationalPlan plan)
        {
            using (w.Block($"public void {ShapeCheckName(plan)}()"))
            {
                EmitHelpers.FixedEntryChecks(w, spec);
                foreach (var observed in ObservedInputs(plan))
                {
                    var node = ExprTools.Find(spec, observed)!;
                    if (StorageForms.IsCountMatrix(node))
                        w.Line($"global::Dsl.Runtime.Inference.ShapeCheck.RequireCounts(\"{observed}\", {Counts(observed)}, {CodeExpr.Size(node.Indices[0].Plate)}, {CodeExpr.Size(node.Indices[1].Plate)});");
                    else EmitHelpers.ShapeCheck(w, node);
                }
                foreach (var data in spec.Nodes.Where(n => n.Role == NodeRole.Data && n.Indices.Count > 0)) EmitHelpers.ShapeCheck(w, data);
            }
            w.Line();
        }

        private static void EmitFields(SourceWriter w, ModelSpec spec, VariationalPlan plan, Lowering.MinibatchBuffers buffers)
        {
            w.Line($"private readonly {spec.ClassName} model;");
            w.Line(plan.IsPart ? $"private readonly {Neural}.ParameterSet<T> parameters; // shared with the other cell plates' parts" : $"private readonly {Neural}.ParameterSet<T> parameters = new();");
            foreach (var parameter in plan.Parameters)
                w.Line($"private readonly {Neural}.Parameter<T> {Parameter(parameter.Node)}; // {(parameter.Positive ? $"log {parameter.Node}" : parameter.Simplex is { } axis ? $"{parameter.Node} before a softmax along {axis.Plate}" : parameter.Node)}");
            foreach (var latent in plan.Latents)
                w.Line($"private readonly {Neural}.EncoderNetwork<T> {Encoder(latent)}; // q({latent.Node} | {string.Join(", ", latent.Inputs.Select(i => i.Node))}), line {latent.Line}");
            foreach (var trunk in Trunks(plan))
            {
                w.Line($"private readonly {Neural}.Trunk<T> {Trunk(trunk.Key)}; // hidden layers of {string.Join(" and ", trunk.Select(n => n.Node))}");
                foreach (var network in trunk) w.Line($"private readonly {Neural}.OutputHead<T> {Head(network.Node)}; // line {network.Line}");
            }
            GlobalLatentEmitter.EmitFields(w, plan);
            w.Line("private readonly double[] chunkSums = new double[global::Dsl.Runtime.Variational.RowChunks.Count];");
            foreach (var buffer in buffers.Buffers) w.Line($"private {buffer.Element}[] {buffer.Name} = new {buffer.Element}[0]; // {buffer.Holds}");
            w.Line();
        }

        private static void EmitConstructor(SourceWriter w, ModelSpec spec, VariationalPlan plan)
        {
            if (plan.IsPart)
            {
                w.Line($"/// <summary>");
                w.Line($"/// Builds the networks and parameters of the {plan.BatchPlate} part in the shared set, initialised from the stream");
                w.Line($"/// (those another part registered first are shared by name: one decoder, one encoder's last layer, one parameter).");
                w.Line($"/// </summary>");
            }
            else
                w.Line("/// <summary>Builds the networks and parameters for the model's plate sizes, initialised from the seed.</summary>");
            using (w.Block(plan.IsPart
                ? $"public {plan.ClassName}({spec.ClassName} model, {Neural}.ParameterSet<T> parameters, ref global::Dsl.Runtime.Random.RandomStream init)"
                : $"public Variational({spec.ClassName} model, ulong seed)"))
            {
                w.Line("this.model = model;");
                w.Line($"model.{ShapeCheckName(plan)}();");
                if (plan.IsPart)
                {
                    w.Line("this.parameters = parameters;");
                    w.Line("using var sharing = parameters.ShareByName();");
                }
                else
                    w.Line($"var init = new global::Dsl.Runtime.Random.RandomStream(seed, {Lowering.VariationalStreams.Initialisation.Name});");
                foreach (var latent in plan.Latents)
                {
                    var e = latent.Encoder;
                    w.Line($"{Encoder(latent)} = new {Neural}.EncoderNetwork<T>(parameters, \"{latent.Node}.encoder\", {ContinuousWidth(latent.Inputs)}, {CategoryWidth(latent.Inputs)}, {Width(latent.ItemPlate)},");
                    w.Line($"    {e.Hidden}, {e.Layers}, {CodeExpr.Number(e.Dropout)}, {Bool(e.BatchNorm)}, ref init{(e.SharedLastLayer is { } group ? $", sharedLastLayer: {EmitHelpers.Literal(group)}" : "")});");
                }
                foreach (var trunk in Trunks(plan))
                {
                    var a = trunk.First().Architecture;
                    var inputs = trunk.First().Inputs;
                    w.Line($"{Trunk(trunk.Key)} = new {Neural}.Trunk<T>(parameters, \"{trunk.Key}\", {ContinuousWidth(inputs)}, {CategoryWidth(inputs)}, {a.Hidden}, {a.Layers}, {CodeExpr.Number(a.Dropout)}, {Bool(a.BatchNorm)}, ref init);");
                    foreach (var network in trunk)
                        w.Line($"{Head(network.Node)} = new {Neural}.OutputHead<T>(parameters, \"{network.WeightsOf}.output\", {(a.Layers == 0 ? $"{Trunk(trunk.Key)}.Hidden" : a.Hidden.ToString(System.Globalization.CultureInfo.InvariantCulture))}, {Size(network.ItemPlate)}, global::Dsl.Activation.{network.Architecture.Output}, ref init);");
                }
                foreach (var parameter in plan.Parameters)
                {
                    var node = ExprTools.Find(spec, parameter.Node)!;
                    var size = node.Indices.Count == 0 ? "1" : string.Join(" * ", node.Indices.Select(i => Size(i.Plate)));
                    w.Line($"{Parameter(parameter.Node)} = parameters.Add(\"{parameter.Node}\", {size}, decays: false);");
                    if (parameter.Simplex is not null)
                        w.Line("// A simplex starts uniform: every softmax coordinate 0.");
                    else
                    {
                        w.Line($"// Standard normal start{(parameter.Positive ? " on the log scale" : "")}, as scvi-tools initialises its dispersions.");
                        w.Line($"for (var i = 0; i < {Parameter(parameter.Node)}.Value.Length; i++) {Parameter(parameter.Node)}.Value[i] = T.CreateTruncating(init.NextNormal());");
                    }
                }
                GlobalLatentEmitter.EmitConstruction(w, spec, plan);
                w.Line("Threads = 1;");
            }
            w.Line();
        }

        private static string ShapeCheckName(VariationalPlan plan) => plan.IsPart ? $"Validate{plan.BatchPlate}VariationalShapes" : "ValidateVariationalShapes";

        /// <summary>"offset + " unless the offset is zero, so generated index arithmetic carries no "+ 0".</summary>
        public static string Plus(string offset) => offset == "0" ? "" : offset + " + ";

        private static string Bool(bool value) => value ? "true" : "false";

        public static string ContinuousWidth(IEnumerable<NetworkInput> inputs) => TotalWidth(inputs.Where(i => i.Kind != InputKind.Category));

        private static string CategoryWidth(IEnumerable<NetworkInput> inputs) => TotalWidth(inputs.Where(i => i.Kind == InputKind.Category));

        private static void EmitMembers(SourceWriter w, VariationalPlan plan)
        {
            w.Line($"public int Elements => model.{CodeExpr.Size(plan.BatchPlate)};");
            w.Line();
            w.Line($"public {Neural}.ParameterSet<T> Parameters => parameters;");
            w.Line();
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<{Variational}.ElboTerm> Terms {{ get; }} = new {Variational}.ElboTerm[]");
            w.Line("{");
            foreach (var term in plan.Likelihoods) w.Line($"    new(\"log p({term.Node})\", false),");
            foreach (var latent in plan.Latents) w.Line($"    new(\"KL({latent.Node})\", true{(latent.Encoder.KlWarmup ? "" : ", WarmedUp: false")}),");
            foreach (var global in plan.Globals) w.Line($"    new(\"KL({global.Node})\", true, WarmedUp: false),");
            foreach (var parameter in plan.Parameters.Where(p => p.Prior is not null)) w.Line($"    new(\"{ParameterPriorEmitter.TermName(parameter)}\", true, WarmedUp: false),");
            w.Line("};");
            w.Line();
            w.Line("private int threads = 1;");
            w.Line();
            using (w.Block("public int Threads"))
            {
                w.Line("get => threads;");
                using (w.Block("set"))
                {
                    w.Line("threads = value;");
                    // A network that runs beside others (see Forward) keeps to one thread; one alone splits its products.
                    foreach (var latent in plan.Latents) w.Line($"{Encoder(latent)}.Threads = {(plan.Latents.Count > 1 ? "1" : "value")};");
                    foreach (var trunk in Trunks(plan))
                    {
                        w.Line($"{Trunk(trunk.Key)}.Threads = value;");
                        foreach (var network in trunk) w.Line($"{Head(network.Node)}.Threads = {(trunk.Count() > 1 ? "1" : "value")};");
                    }
                }
            }
            w.Line();
            foreach (var category in DecoderCategories(plan))
            {
                var field = DecoderLevel(category.Node);
                w.Line($"private int {field} = -1;");
                w.Line();
                w.Line($"/// <summary>");
                w.Line($"/// −1 (the default): decoder networks read each cell's own {category.Node}. A level 0..{CodeExpr.Size(category.Plate!)}−1: they read that level for");
                w.Line($"/// every cell while encoders still read the cell's own, so outputs are transformed to one {category.Node}.");
                w.Line($"/// </summary>");
                using (w.Block($"public int {category.Node}DecoderLevel"))
                {
                    w.Line($"get => {field};");
                    w.Line($"set => {field} = value >= -1 && value < {Size(category.Plate!)} ? value : throw new global::System.ArgumentOutOfRangeException(nameof(value), $\"{category.Node} has levels 0..{{{Size(category.Plate!)} - 1}}, not {{value}}\");");
                }
                w.Line();
            }
            foreach (var latent in plan.Latents)
            {
                w.Line($"/// <summary>After <see cref=\"Infer\"/>: E_q[{latent.Node}] per row, rows x {Width(latent.ItemPlate)} (after <see cref=\"Sample\"/>: a draw from q).</summary>");
                w.Line($"public global::System.ReadOnlySpan<T> {latent.Node}PosteriorMean => {Sample(latent.Node)};");
                w.Line();
            }
            foreach (var network in plan.Networks)
            {
                w.Line($"/// <summary>After <see cref=\"Infer\"/>: {network.Node} at the posterior means, rows x {Size(network.ItemPlate)} (after <see cref=\"Sample\"/>: at the draw).</summary>");
                w.Line($"public global::System.ReadOnlySpan<T> {network.Node}Output => {Head(network.Node)}.Output;");
                w.Line();
            }
            foreach (var term in plan.Likelihoods)
                foreach (var argument in term.Arguments)
                {
                    w.Line($"/// <summary>After <see cref=\"Infer\"/>: the {argument.Name} of {term.Node} at the posterior means, rows x {Width(term.ItemPlate)}.</summary>");
                    w.Line($"public global::System.ReadOnlySpan<T> {ArgumentOutput(term, argument)}Values => {ArgumentOutput(term, argument)};");
                    w.Line();
                }
            foreach (var parameter in plan.Parameters)
            {
                if (parameter.Simplex is { } axis)
                {
                    w.Line($"/// <summary>The fitted {parameter.Node}: the softmax of the optimised coordinates along {axis.Plate}, at one entry.</summary>");
                    using (w.Block($"public T {parameter.Node}At(int index)"))
                    {
                        var (stride, length) = SimplexEmitter.AxisCode(axis);
                        w.Line($"var start = index - index / ({stride}) % {length} * ({stride});");
                        w.Line($"var u = {Parameter(parameter.Node)}.Value;");
                        w.Line($"var max = u[start];");
                        w.Line($"for (var k = 1; k < {length}; k++) max = T.Max(max, u[start + k * ({stride})]);");
                        w.Line("var total = T.Zero;");
                        w.Line($"for (var k = 0; k < {length}; k++) total += T.Exp(u[start + k * ({stride})] - max);");
                        w.Line("return T.Exp(u[index] - max) / total;");
                    }
                }
                else
                {
                    w.Line($"/// <summary>The fitted {parameter.Node}{(parameter.Positive ? " (exp of the optimised log)" : "")}.</summary>");
                    w.Line($"public T {parameter.Node}At(int index) => {(parameter.Positive ? $"T.Exp({Parameter(parameter.Node)}.Value[index])" : $"{Parameter(parameter.Node)}.Value[index]")};");
                }
                w.Line();
            }
        }

        private static void EmitStep(SourceWriter w, VariationalPlan plan)
        {
            using (w.Block($"public void Step(global::System.ReadOnlySpan<int> elements, {Variational}.VariationalStep step, global::System.Span<double> termSums)"))
            {
                w.Line("var rows = elements.Length;");
                w.Line("Prepare(elements, step.Gradients);");
                if (GlobalLatentEmitter.HasGlobalTerms(plan)) w.Line("globalScale = 1.0 / (step.Population > 0 ? step.Population : Elements);");
                if (plan.Globals.Count > 0) w.Line("DrawGlobals(sampling: true, step.Seed, step.Stream);");
                w.Line("Forward(rows, step.Training, sampling: true, step.Seed, step.Stream);");
                w.Line("// The loss is −(log-likelihood − weight·KL) / rows; these scales turn each term's derivative into the loss's.");
                var lossRows = "rows";
                if (plan.IsPart)
                {
                    w.Line("var lossRows = step.LossRows > 0 ? step.LossRows : rows; // the whole minibatch's cells, over every part");
                    lossRows = "lossRows";
                }
                w.Line($"var likelihoodScale = T.CreateTruncating(-1.0 / {lossRows});");
                w.Line($"var divergenceScale = T.CreateTruncating(step.KlWeight / {lossRows});");
                if (plan.Latents.Any(l => !l.Encoder.KlWarmup)) w.Line($"var fullDivergenceScale = T.CreateTruncating(1.0 / {lossRows}); // KL terms outside the warm-up");
                var index = 0;
                foreach (var term in plan.Likelihoods) w.Line($"termSums[{index++}] = Likelihood{term.Node}(rows, step.Gradients, likelihoodScale);");
                foreach (var latent in plan.Latents)
                    w.Line($"termSums[{index++}] = Divergence{latent.Node}(rows, step.Gradients, {(latent.Encoder.KlWarmup ? "divergenceScale" : "fullDivergenceScale")});");
                foreach (var global in plan.Globals) w.Line($"termSums[{index++}] = Divergence{global.Node}(rows, step.Gradients, globalScale);");
                foreach (var parameter in plan.Parameters.Where(p => p.Prior is not null)) w.Line($"termSums[{index++}] = Prior{parameter.Node}(rows, step.Gradients, globalScale);");
                if (plan.IsPart)
                {
                    w.Line("heldRows = rows;");
                    w.Line("if (step.Gradients && !step.HoldBackward) Backward(rows);");
                }
                else
                    w.Line("if (step.Gradients) Backward(rows);");
            }
            w.Line();
            using (w.Block("public void Infer(global::System.ReadOnlySpan<int> elements)"))
            {
                if (plan.Globals.Count > 0) w.Line("DrawGlobals(sampling: false, 0, 0); // global latents at their guides' medians");
                w.Line("var rows = Evaluate(elements, 0, 0, sampling: false);");
                foreach (var term in plan.Likelihoods) w.Line($"Arguments{term.Node}(rows);");
            }
            w.Line();
            w.Line("/// <summary>Evaluation mode at one draw from q per row (keyed by seed and stream): fills the same outputs as <see cref=\"Infer\"/>.</summary>");
            using (w.Block("public void Sample(global::System.ReadOnlySpan<int> elements, ulong seed, ulong stream)"))
            {
                w.Line("var rows = Evaluate(elements, seed, stream, sampling: true);");
                foreach (var term in plan.Likelihoods) w.Line($"Arguments{term.Node}(rows);");
            }
            w.Line();
            if (plan.Globals.Count == 0)
                w.Line("/// <summary>One draw from q per row in evaluation mode: log p(observed, latents) − log q(latents | inputs) per row.</summary>");
            else
            {
                w.Line("/// <summary>");
                w.Line("/// One draw from q per row in evaluation mode: log p(observed, latents) − log q(latents | inputs) per row (given the");
                w.Line("/// global latents, held at their guides' medians).");
                w.Line("/// </summary>");
            }
            using (w.Block("public void LogImportanceWeights(global::System.ReadOnlySpan<int> elements, ulong seed, ulong stream, global::System.Span<double> weights)"))
            {
                if (plan.Globals.Count > 0) w.Line("DrawGlobals(sampling: false, 0, 0);");
                w.Line("var rows = Evaluate(elements, seed, stream, sampling: true);");
                foreach (var term in plan.Likelihoods) w.Line($"Likelihood{term.Node}(rows, gradients: false, T.Zero);");
                foreach (var latent in plan.Latents) w.Line($"LogDensityRatio{latent.Node}(rows);");
                w.Line("global::System.MemoryExtensions.AsSpan(rowLogWeight, 0, rows).CopyTo(weights);");
            }
            w.Line();
            w.Line("/// <summary>The forward pass in evaluation mode (running batch-norm statistics, no dropout), at a draw from q or at its means.</summary>");
            using (w.Block("private int Evaluate(global::System.ReadOnlySpan<int> elements, ulong seed, ulong stream, bool sampling)"))
            {
                w.Line("Prepare(elements, gradients: false);");
                w.Line("Forward(elements.Length, training: false, sampling, seed, stream);");
                w.Line("return elements.Length;");
            }
            w.Line();
        }

        private static void EmitPrepare(SourceWriter w, ModelSpec spec, VariationalPlan plan, Lowering.MinibatchBuffers buffers)
        {
            w.Line("/// <summary>Sizes the minibatch arrays, densifies the counts of the minibatch's cells and codes their categories.</summary>");
            using (w.Block("private void Prepare(global::System.ReadOnlySpan<int> elements, bool gradients)"))
            {
                w.Line("var rows = elements.Length;");
                foreach (var buffer in buffers.Buffers) w.Line($"{Neural}.Buffers.Ensure(ref {buffer.Name}, {buffer.Length});");
                w.Line("elements.CopyTo(cellOf);");
                w.Line("global::System.Array.Clear(rowLogWeight, 0, rows);");
                foreach (var observed in ObservedInputs(plan)) EmitObservedRows(w, ExprTools.Find(spec, observed)!, CountBatch(observed), logarithm: false);
                foreach (var observed in LogCountInputs(plan)) EmitObservedRows(w, ExprTools.Find(spec, observed)!, LogCountBatch(observed), logarithm: true);
                EmitCovariateRows(w, spec, plan);
                foreach (var latent in plan.Latents) EmitCategories(w, $"{latent.Node}Encoder", latent.Inputs, decoder: false);
                foreach (var trunk in Trunks(plan)) EmitCategories(w, trunk.Key, trunk.First().Inputs, decoder: true);
                foreach (var parameter in plan.Parameters)
                {
                    var size = $"{Parameter(parameter.Node)}.Value.Length";
                    w.Line(parameter.Simplex is null
                        ? $"for (var i = 0; i < {size}; i++) {Value(parameter.Node)}[i] = {(parameter.Positive ? $"T.Exp({Parameter(parameter.Node)}.Value[i])" : $"{Parameter(parameter.Node)}.Value[i]")};"
                        : $"for (var i = 0; i < {size}; i++) {Value(parameter.Node)}[i] = {parameter.Node}At(i);");
                }
                using (w.Block("if (gradients)"))
                {
                    foreach (var latent in plan.Latents) w.Line($"global::System.Array.Clear({SampleGradient(latent.Node)});");
                    foreach (var network in plan.Networks) w.Line($"global::System.Array.Clear({OutputGradient(network.Node)});");
                    foreach (var parameter in plan.Parameters) w.Line($"global::System.Array.Clear({Partials(parameter.Node)});");
                    GlobalLatentEmitter.EmitClear(w, plan);
                }
            }
            w.Line();
            w.Line("/// <summary>Dense rows of the minibatch's cells; log1p, when asked, touches only the non-zero entries (log1p(0) = 0).</summary>");
            using (w.Block("private static void DensifyRows(global::Dsl.Runtime.Data.CountMatrix counts, global::System.ReadOnlySpan<int> elements, T[] target, bool logarithm)"))
            {
                w.Line("var width = counts.Genes;");
                using (w.Block("for (var row = 0; row < elements.Length; row++)"))
                {
                    w.Line("var line = global::System.MemoryExtensions.AsSpan(target, row * width, width);");
                    w.Line("line.Clear();");
                    w.Line("var columns = counts.RowColumns(elements[row]);");
                    w.Line("var values = counts.RowValues(elements[row]);");
                    w.Line("for (var i = 0; i < columns.Length; i++) line[columns[i]] = T.CreateTruncating(logarithm ? global::System.Math.Log(1 + values[i]) : values[i]);");
                }
            }
            w.Line();
        }

        /// <summary>
        /// An observed node's values for the minibatch's cells, row by row (width its item plate's size, or 1): a
        /// sparse count matrix densified, a dense array copied; through log1p when asked.
        /// </summary>
        private static void EmitObservedRows(SourceWriter w, NodeSpec node, string target, bool logarithm)
        {
            if (StorageForms.IsCountMatrix(node))
            {
                w.Line($"DensifyRows(model.{Counts(node.Name)}!, elements, {target}, logarithm: {Bool(logarithm)});");
                return;
            }
            EmitDenseRows(w, node, target, logarithm);
        }

        /// <summary>The plate an observed node's minibatch row runs over (its second index), or null for one value per cell.</summary>
        internal static string? RowPlate(ModelSpec spec, string observed) => ExprTools.Find(spec, observed)!.Indices is { Count: 2 } indices ? indices[1].Plate : null;

        /// <summary>Each numeric covariate a network or encoder reads, row by row for the minibatch's cells.</summary>
        public static void EmitCovariateRows(SourceWriter w, ModelSpec spec, VariationalPlan plan)
        {
            foreach (var input in CovariateInputs(plan))
            {
                EmitDenseRows(w, ExprTools.Find(spec, input.Node)!, CovariateBatch(input.Node), logarithm: false);
            }
        }

        /// <summary>Rows of a dense stored array (over the cell plate, then at most one more) for the cells in <c>elements</c>.</summary>
        private static void EmitDenseRows(SourceWriter w, NodeSpec node, string target, bool logarithm)
        {
            var two = node.Indices.Count == 2;
            var width = Width(two ? node.Indices[1].Plate : null);
            using (w.Block("for (var row = 0; row < rows; row++)"))
            using (w.Block($"for (var k = 0; k < {width}; k++)"))
            {
                w.Line($"var stored = (double)model.{node.Name}Values[{(two ? "elements[row], k" : "elements[row]")}];");
                w.Line($"{target}[row * {width} + k] = T.CreateTruncating({(logarithm ? "global::System.Math.Log(1 + stored)" : "stored")});");
            }
        }

        /// <summary>
        /// One-hot columns of a network's categorical inputs: category code plus the widths of the categories before it.
        /// Decoder networks (not encoders) read the fixed level of a category when one is set.
        /// </summary>
        public static void EmitCategories(SourceWriter w, string owner, IEnumerable<NetworkInput> inputs, bool decoder)
        {
            var categories = inputs.Where(i => i.Kind == InputKind.Category).ToList();
            if (categories.Count == 0) return;
            using (w.Block("for (var row = 0; row < rows; row++)"))
            {
                var offset = "0";
                for (var c = 0; c < categories.Count; c++)
                {
                    var own = $"model.{categories[c].Node}Values[elements[row]]";
                    var level = decoder ? $"({DecoderLevel(categories[c].Node)} >= 0 ? {DecoderLevel(categories[c].Node)} : {own})" : own;
                    w.Line($"{OneHot(owner)}[{CodeFolding.Plus(CodeFolding.Times("row", $"{categories.Count}"), $"{c}")}] = {Plus(offset)}{level};");
                    offset = offset == "0" ? Size(categories[c].Plate!) : $"{offset} + {Size(categories[c].Plate!)}";
                }
            }
        }

        /// <summary>Categories some decoder network reads, e.g. the batch.</summary>
        private static IEnumerable<NetworkInput> DecoderCategories(VariationalPlan plan) =>
            plan.Networks.SelectMany(n => n.Inputs).Where(i => i.Kind == InputKind.Category).GroupBy(i => i.Node).Select(g => g.First());

        private static void EmitForward(SourceWriter w, ModelSpec spec, VariationalPlan plan)
        {
            w.Line("/// <summary>");
            w.Line("/// Encoders, reparameterised samples (or, without sampling, posterior means) and networks. Encoders of different");
            w.Line("/// latents, and heads on one trunk, are independent: they run side by side, each on its own stretch of the stream.");
            w.Line("/// </summary>");
            using (w.Block("private void Forward(int rows, bool training, bool sampling, ulong seed, ulong stream)"))
            {
                // Random-stream parts: one per latent's encoder, then one per trunk.
                if (plan.IsPart) w.Line("Encoders(rows, training, sampling, seed, stream);");
                else EmitEncoders(w, plan);
                EmitNetworks(w, plan);
            }
            w.Line();
            if (plan.IsPart) VariationalPartEmitter.EmitEncode(w, plan);
        }

        public static void EmitEncoders(SourceWriter w, VariationalPlan plan) =>
            EmitBranches(w, plan.Latents.Select(latent => (System.Action)(() => EmitEncoder(w, latent))).ToList());

        /// <summary>Every trunk and its heads, on the latents' samples; random-stream parts follow the encoders'.</summary>
        public static void EmitNetworks(SourceWriter w, VariationalPlan plan)
        {
            foreach (var trunk in Trunks(plan))
            {
                var inputs = trunk.First().Inputs;
                w.Line($"// {string.Join(" and ", trunk.Select(n => $"{n.Node} (line {n.Line})"))}: f({string.Join(", ", inputs.Select(i => i.Node))}).");
                var input = EmitGather(w, Input(trunk.Key), inputs, i => i.Kind == InputKind.Covariate ? CovariateBatch(i.Node) : Sample(i.Node));
                var categories = inputs.Count(i => i.Kind == InputKind.Category);
                w.Line($"var {trunk.Key}Random = {Variational}.Branches.Stream(seed, stream, {Lowering.VariationalStreams.Trunk(trunk.Key)});");
                w.Line($"{Trunk(trunk.Key)}.Forward({input}, rows, global::System.MemoryExtensions.AsSpan({OneHot(trunk.Key)}, 0, {CodeFolding.Times("rows", $"{categories}")}), training, ref {trunk.Key}Random);");
                EmitBranches(w, trunk.Select(network => (System.Action)(() => w.Line($"{Head(network.Node)}.Forward({Trunk(trunk.Key)}.Output, rows);"))).ToList());
            }
        }

        private static void EmitEncoder(SourceWriter w, EncodedLatent latent)
        {
            var width = Width(latent.ItemPlate);
            w.Line($"// q({latent.Node}) = {(latent.LogScale ? "LogNormal" : "Normal")}(encoder mean, encoder variance), line {latent.Line}.");
            w.Line($"var random = {Variational}.Branches.Stream(seed, stream, {Lowering.VariationalStreams.Encoder(latent)});");
            var input = EmitGather(w, $"{latent.Node}EncoderInput", latent.Inputs, i =>
                i.Kind == InputKind.Covariate ? CovariateBatch(i.Node) : latent.Encoder.Transform == "Log1p" && i.Counts ? LogCountBatch(i.Node) : CountBatch(i.Node));
            var categories = latent.Inputs.Count(i => i.Kind == InputKind.Category);
            w.Line($"{Encoder(latent)}.Forward({input}, rows, global::System.MemoryExtensions.AsSpan({OneHot($"{latent.Node}Encoder")}, 0, {CodeFolding.Times("rows", $"{categories}")}), training, ref random);");
            using (w.Block($"for (var entry = 0; entry < {CodeFolding.Times("rows", width)}; entry++)"))
            {
                w.Line($"var mean = {Encoder(latent)}.Mean[entry];");
                w.Line($"var variance = {Encoder(latent)}.Variance[entry];");
                w.Line($"{Noise(latent.Node)}[entry] = sampling ? T.CreateTruncating(random.NextNormal()) : T.Zero;");
                w.Line(latent.LogScale
                    ? $"{Sample(latent.Node)}[entry] = sampling ? T.Exp(mean + T.Sqrt(variance) * {Noise(latent.Node)}[entry]) : T.Exp(mean + variance / T.CreateTruncating(2));"
                    : $"{Sample(latent.Node)}[entry] = mean + T.Sqrt(variance) * {Noise(latent.Node)}[entry];");
            }
        }

        /// <summary>
        /// Emits independent parts as the branches of one <c>Branches.Run</c> (a single part inline). Each part's
        /// emitter writes statements; in a branch they become the body of a lambda.
        /// </summary>
        public static void EmitBranches(SourceWriter w, IReadOnlyList<System.Action> parts)
        {
            if (parts.Count == 1)
            {
                parts[0]();
                return;
            }
            w.Line($"{Variational}.Branches.Run(threads,");
            using (w.Indent(1))
                for (var i = 0; i < parts.Count; i++)
                {
                    w.Line("() =>");
                    w.Line("{");
                    using (w.Indent(1)) parts[i]();
                    w.Line(i == parts.Count - 1 ? "});" : "},");
                }
        }

        /// <summary>Whether a network reads several continuous inputs, which must be concatenated into one array.</summary>
        public static bool NeedsGather(IEnumerable<NetworkInput> inputs) => inputs.Count(i => i.Kind != InputKind.Category) > 1;

        /// <summary>
        /// The array holding a network's continuous inputs row by row: the input's own array when it has one, else
        /// <paramref name="target"/>, into which this emits the row-by-row concatenation.
        /// </summary>
        private static string EmitGather(SourceWriter w, string target, IEnumerable<NetworkInput> inputs, System.Func<NetworkInput, string> array)
        {
            var continuous = inputs.Where(i => i.Kind != InputKind.Category).ToList();
            if (!NeedsGather(continuous)) return array(continuous[0]);
            w.Line($"var {target}Width = {ContinuousWidth(continuous)};");
            using (w.Block("for (var row = 0; row < rows; row++)"))
            {
                var offset = "0";
                foreach (var input in continuous)
                {
                    w.Line($"for (var j = 0; j < {Width(input.Plate)}; j++) {target}[row * {target}Width + {Plus(offset)}j] = {array(input)}[row * {Width(input.Plate)} + j];");
                    offset = offset == "0" ? Width(input.Plate) : $"{offset} + {Width(input.Plate)}";
                }
            }
            return target;
        }

        private static void EmitLikelihood(SourceWriter w, ModelSpec spec, LikelihoodTerm term)
        {
            var node = ExprTools.Find(spec, term.Node)!;
            var cell = node.Indices[0].Variable;
            var item = term.ItemVariable;
            var rowSums = term.Arguments.SelectMany(a => a.RowSums).ToList();
            var code = new VariationalExpr(spec, cell) { ItemVariable = item, Locals = rowSums.Select(r => r.Name).ToList() };
            var items = Width(term.ItemPlate);
            w.Line($"/// <summary>");
            w.Line($"/// log p({IrPrinter.Signature(node.Declaration)}) = {term.Family}({string.Join(", ", term.Arguments.Select(a => $"{a.Name}: {ExprPrinter.Print(a.Value)}"))}), line {term.Line},");
            w.Line("/// summed over the minibatch. Per row: the arguments at every item, the row kernel (log-likelihood and its");
            w.Line("/// derivative in each argument), then the chain rule from each argument to what it reads.");
            w.Line("/// </summary>");
            using (w.Block($"private double Likelihood{term.Node}(int rows, bool gradients, T scale)"))
            {
                w.Line($"var items = {items};");
                w.Line($"{Variational}.RowChunks.For(rows, threads, (chunk, start, end) =>");
                w.Line("{");
                using (w.Indent(1))
                {
                    w.Line("var sum = 0.0;");
                    using (w.Block("for (var row = start; row < end; row++)"))
                    {
                        w.Line($"var {cell} = cellOf[row];");
                        EmitArguments(w, code, term, item);
                        string Row(string array) => $"global::System.MemoryExtensions.AsSpan({array}, row * items, items)";
                        var spans = string.Join(", ", term.Arguments.Select(a => Row(ArgumentOutput(term, a))));
                        var derivatives = string.Join(", ", term.Arguments.Select(a => Row(ArgumentDerivative(term, a))));
                        switch (term.Kernel)
                        {
                            case LikelihoodKernel.CountRow:
                                w.Line($"var rowSum = {Variational}.CountLikelihoodRows.{term.KernelName}<T>({Row(CountBatch(term.Node))}, {spans},");
                                w.Line($"    {derivatives});");
                                break;
                            case LikelihoodKernel.VectorRow:
                                w.Line($"var rowSum = global::Dsl.Runtime.Hmc.LogDensity.{term.KernelName}<T>({Row(CountBatch(term.Node))}, {spans}, {Row(ValueDerivative(term))}, {derivatives});");
                                break;
                            case LikelihoodKernel.CategoryRow:
                                w.Line($"var rowSum = {Variational}.CategoryRows.{term.KernelName}<T>(int.CreateTruncating({CountBatch(term.Node)}[row]), {spans}, {derivatives});");
                                break;
                            default:
                                EmitEntryKernel(w, node, term, item);
                                break;
                        }
                        w.Line("rowLogWeight[row] += rowSum;");
                        w.Line("sum += rowSum;");
                        w.Line("if (!gradients) continue;");
                        foreach (var total in rowSums) w.Line($"var {total.Name}Adjoint = T.Zero;");
                        using (w.Block($"for (var {item} = 0; {item} < items; {item}++)"))
                        {
                            w.Line($"var entry = row * items + {item};");
                            foreach (var argument in term.Arguments)
                                foreach (var partial in argument.Partials)
                                {
                                    w.Line($"// ∂{argument.Name}/∂{ExprPrinter.Print(partial.Target)} = {ExprPrinter.Print(partial.Derivative)}");
                                    var factor = VariationalExpr.IsOne(partial.Derivative) ? "" : $" * {code.Of(partial.Derivative)}";
                                    var target = rowSums.Any(r => r.Name == partial.Target.Node) ? $"{partial.Target.Node}Adjoint" : code.GradientOf(partial.Target);
                                    w.Line($"{target} += scale * {ArgumentDerivative(term, argument)}[entry]{factor};");
                                }
                        }
                        foreach (var total in rowSums) RowSumEmitter.EmitChainRule(w, code, total);
                    }
                    w.Line("chunkSums[chunk] = sum;");
                }
                w.Line("});");
                w.Line("var total = 0.0;");
                w.Line("foreach (var part in chunkSums) total += part;");
                w.Line("return total;");
            }
            w.Line();
            w.Line($"/// <summary>The arguments of {term.Node}'s likelihood at every entry of the minibatch.</summary>");
            using (w.Block($"private void Arguments{term.Node}(int rows)"))
            {
                w.Line($"var items = {items};");
                using (w.Block("for (var row = 0; row < rows; row++)"))
                {
                    w.Line($"var {cell} = cellOf[row];");
                    EmitArguments(w, code, term, item);
                }
            }
            w.Line();
        }

        /// <summary>
        /// The row's log-likelihood entry by entry from the runtime's scalar log density (in double, whatever T is),
        /// each argument's partial stored for the chain rule.
        /// </summary>
        private static void EmitEntryKernel(SourceWriter w, NodeSpec node, LikelihoodTerm term, string item)
        {
            // A continuous observation is read from the model's double storage: through float it could round onto the
            // edge of its support (a Beta fraction of 0.99999999 to 1), where its log density is −∞. Integers are exact.
            var observed = StorageForms.IsCountMatrix(node)
                ? $"double.CreateTruncating({CountBatch(term.Node)}[entry])"
                : $"(double)model.{node.Name}Values[{string.Join(", ", node.Indices.Select(i => i.Variable))}]";
            w.Line("var rowSum = 0.0;");
            using (w.Block($"for (var {item} = 0; {item} < items; {item}++)"))
            {
                w.Line($"var entry = row * items + {item};");
                var arguments = term.Arguments.Select(a => $"double.CreateTruncating({ArgumentOutput(term, a)}[entry])");
                var partials = term.Arguments.Select(a => $"out var d{ArgumentOutput(term, a)}");
                w.Line($"rowSum += global::Dsl.Runtime.Hmc.LogDensity.{term.KernelName}({observed}, {string.Join(", ", arguments)}, out _, {string.Join(", ", partials)});");
                foreach (var argument in term.Arguments)
                    w.Line($"{ArgumentDerivative(term, argument)}[entry] = T.CreateTruncating(d{ArgumentOutput(term, argument)});");
            }
        }

        /// <summary>The row's totals (hoisted Sums), then every argument at every item of the row.</summary>
        private static void EmitArguments(SourceWriter w, VariationalExpr code, LikelihoodTerm term, string item)
        {
            foreach (var total in term.Arguments.SelectMany(a => a.RowSums)) RowSumEmitter.EmitTotal(w, code, total);
            using (w.Block($"for (var {item} = 0; {item} < items; {item}++)"))
            {
                w.Line($"var entry = row * items + {item};");
                foreach (var argument in term.Arguments) w.Line($"{ArgumentOutput(term, argument)}[entry] = {code.Of(argument.Value)};");
            }
        }

        private static void EmitDivergence(SourceWriter w, ModelSpec spec, EncodedLatent latent)
        {
            if (latent.Mixture is not null)
            {
                MixtureKlEmitter.EmitDivergence(w, spec, latent);
                return;
            }
            if (latent.PriorKernel is not null)
            {
                MonteCarloKlEmitter.EmitDivergence(w, spec, latent);
                return;
            }
            var scale = latent.LogScale ? "log-scale " : "";
            w.Line($"/// <summary>KL(q({latent.Node}) ‖ prior), line {latent.Line}: the analytic {scale}Normal divergence, with its derivatives in q's mean and variance.</summary>");
            using (w.Block($"private double Divergence{latent.Node}(int rows, bool gradients, T scale)"))
            {
                w.Line("var sum = 0.0;");
                // A learned prior's partials accumulate as the likelihoods' do, in chunk 0 (this term runs on one thread).
                if (latent.PriorMeanPartials.Count + latent.PriorSdPartials.Count > 0) w.Line("const int chunk = 0;");
                EmitLatentEntries(w, spec, latent, normalPrior: true, () =>
                {
                    w.Line($"sum += double.CreateTruncating({Variational}.NormalKl.Divergence({Encoder(latent)}.Mean[entry], {Encoder(latent)}.Variance[entry], priorMean, priorVariance, out var dMean, out var dVariance));");
                    w.Line("if (!gradients) continue;");
                    w.Line($"{MeanGradient(latent.Node)}[entry] = scale * dMean;");
                    w.Line($"{VarianceGradient(latent.Node)}[entry] = scale * dVariance;");
                    EmitLearnedPrior(w, spec, latent);
                });
                w.Line("return sum;");
            }
            w.Line();
            var space = latent.LogScale ? $"log {latent.Node} (the Jacobian of exp is the same in both and cancels)" : latent.Node;
            w.Line($"/// <summary>Adds log prior − log q of the sampled {space} to each row's weight.</summary>");
            using (w.Block($"private void LogDensityRatio{latent.Node}(int rows)"))
            {
                EmitLatentEntries(w, spec, latent, normalPrior: true, () =>
                    w.Line($"rowLogWeight[row] += {Variational}.NormalKl.LogDensityRatio({Encoder(latent)}.Mean[entry], {Encoder(latent)}.Variance[entry], {Noise(latent.Node)}[entry], priorMean, priorVariance);"));
            }
            w.Line();
        }

        /// <summary>
        /// ∂KL/∂prior mean = −(m − m0)/v0 = −dMean and ∂KL/∂prior sd = 2·sd·∂KL/∂v0, with ∂KL/∂v0 = ½(1/v0 − (v + (m − m0)²)/v0²),
        /// into every parameter or global latent the prior reads.
        /// </summary>
        private static void EmitLearnedPrior(SourceWriter w, ModelSpec spec, EncodedLatent latent)
        {
            if (latent.PriorMeanPartials.Count + latent.PriorSdPartials.Count == 0) return;
            var node = ExprTools.Find(spec, latent.Node)!;
            var code = new VariationalExpr(spec, node.Indices[0].Variable);
            void Accumulate(PartialDerivative partial, string adjoint, string argument)
            {
                w.Line($"// ∂{argument}/∂{ExprPrinter.Print(partial.Target)} = {ExprPrinter.Print(partial.Derivative)}");
                var factor = VariationalExpr.IsOne(partial.Derivative) ? "" : $" * {code.Of(partial.Derivative)}";
                w.Line($"{code.GradientOf(partial.Target)} += scale * {adjoint}{factor};");
            }
            foreach (var partial in latent.PriorMeanPartials) Accumulate(partial, "(-dMean)", latent.LogScale ? "logMean" : "mean");
            if (latent.PriorSdPartials.Count == 0) return;
            w.Line($"var priorMeanGap = {Encoder(latent)}.Mean[entry] - priorMean;");
            w.Line($"var dPriorSd = T.CreateTruncating(0.5) * (T.One / priorVariance - ({Encoder(latent)}.Variance[entry] + priorMeanGap * priorMeanGap) / (priorVariance * priorVariance)) * T.CreateTruncating(2) * {code.Of(latent.PriorSd)};");
            foreach (var partial in latent.PriorSdPartials) Accumulate(partial, "dPriorSd", latent.LogScale ? "logSd" : "sd");
        }

        /// <summary>A loop over a latent's entries in the minibatch with <c>entry</c>, <c>priorMean</c> and <c>priorVariance</c> in scope.</summary>
        /// <param name="normalPrior">whether to put the Normal prior's <c>priorMean</c> and <c>priorVariance</c> in scope</param>
        public static void EmitLatentEntries(SourceWriter w, ModelSpec spec, EncodedLatent latent, bool normalPrior, System.Action body)
        {
            var node = ExprTools.Find(spec, latent.Node)!;
            var cell = node.Indices[0].Variable;
            var item = node.Indices.Count == 2 ? node.Indices[1].Variable : null;
            var code = new VariationalExpr(spec, cell);
            using (w.Block("for (var row = 0; row < rows; row++)"))
            {
                w.Line($"var {cell} = cellOf[row];");
                var loop = item is null ? null : w.Block($"for (var {item} = 0; {item} < {Width(latent.ItemPlate)}; {item}++)");
                w.Line(item is null ? "var entry = row;" : $"var entry = row * {Width(latent.ItemPlate)} + {item};");
                if (normalPrior)
                {
                    w.Line($"var priorMean = {code.Of(latent.PriorMean)};");
                    w.Line($"var priorVariance = {code.Variance(latent.PriorSd)};");
                }
                body();
                loop?.Dispose();
            }
        }
    }
}
