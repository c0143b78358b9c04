using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using Dsl.Generators.Lowering;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Emits <c>{Model}.Sampler.g.cs</c>: the model's log posterior over its latents on the unconstrained scale, with
    /// its gradient, for NUTS. Each latent is mapped to the real line by its support's transform (adding the log
    /// Jacobian); each random node (and each parameter with a prior) adds its log density, entry by entry, and sends
    /// the density's partials back through its arguments' expressions (<see cref="ReverseMode"/>); the constrained
    /// gradients are then carried through the transforms. Matrix products in the arguments are evaluated by GEMM
    /// (<see cref="MatrixProductEmitter"/>). For a model of parameters only the same terms make
    /// <c>{Model}.Objective.g.cs</c>, the log likelihood maximum likelihood maximises, with its row ranges for
    /// minibatches and the observations' predicted means.
    /// </summary>
    internal static class SamplingEmitter
    {
        public const string Hmc = "global::Dsl.Runtime.Hmc";
        private const string Special = "global::Dsl.Runtime.Special.SpecialFunctions";

        /// <summary>What one engine's file is called and implements: the same log density serves NUTS and maximum likelihood.</summary>
        private sealed record Surface(string Title, string File, string Interface, string Density, string Factory, string FactoryDoc);

        private static readonly Surface Sampler = new("Gradient-based sampling", "Sampler", $"{Hmc}.ISampledModel", $"{Hmc}.IPosterior", "CreatePosterior",
            "A fresh log posterior at the stored data and plate sizes, with its own scratch (one per chain).");

        private static readonly Surface Objective = new("Maximum likelihood", "Objective", $"{Optimisation}.IPointEstimatedModel", $"{Optimisation}.IObjective", "CreateObjective",
            "A fresh log likelihood at the stored data and plate sizes, with its own scratch: what the optimiser maximises over the parameters.");

        private const string Optimisation = "global::Dsl.Runtime.Optimisation";

        /// <summary><c>{Model}.Sampler.g.cs</c>: the log posterior over the latents, for NUTS.</summary>
        public static GeneratedFile Emit(ModelSpec spec, SamplingPlan plan, ProductLayout layout) => Emit(spec, plan, layout, Sampler);

        /// <summary><c>{Model}.Objective.g.cs</c>: the log likelihood of a model of parameters only, with the observations' predicted means.</summary>
        public static GeneratedFile EmitObjective(ModelSpec spec, SamplingPlan plan, ProductLayout layout) => Emit(spec, plan, layout, Objective);

        private static GeneratedFile Emit(ModelSpec spec, SamplingPlan plan, ProductLayout layout, Surface surface)
        {
            var w = EmitHelpers.Header(surface.Title, spec.Namespace, spec.ClassName);
            var latents = plan.Latents.Select(l => (Plan: l, Node: ExprTools.Find(spec, l.Node)!)).ToList();
            var observed = spec.Nodes.Where(n => n.Role == NodeRole.Observed).ToList();
            var parameters = plan.Parameters.Select(p => ExprTools.Find(spec, p)!).ToList();
            var summed = plan.Summed.Select(s => (Node: ExprTools.Find(spec, s.Node)!, Children: s.Children.Select(c => ExprTools.Find(spec, c)!).ToList())).ToList();
            var (products, blocking) = (layout.Products, layout.Blocking);
            using (w.Block($"partial class {spec.ClassName} : {surface.Interface}"))
            {
                w.Line($"/// <summary>{surface.FactoryDoc}</summary>");
                w.Line($"public {surface.Density} {surface.Factory}() => new Posterior(this);");
                w.Line();
                w.Line(latents.Count == 0
                    ? $"/// <summary>log p({string.Join(", ", observed.Select(o => o.Name))} | {string.Join(", ", parameters.Select(p => p.Name))}), up to a constant.</summary>"
                    : $"/// <summary>log p({string.Join(", ", latents.Select(l => l.Node.Name))} | {string.Join(", ", observed.Select(o => o.Name))}) on the unconstrained scale, up to a constant.</summary>");
                using (w.Block($"private sealed class Posterior : {surface.Density}"))
                {
                    EmitFields(w, spec, latents, observed, parameters);
                    MatrixProductEmitter.EmitFields(w, products, blocking);
                    foreach (var (z, _) in summed) w.Line($"private readonly double[] {SummedLatentEmitter.Weights(z)} = new double[0];");
                    // The objective's interface sets the products' threads; a sampler holds the property only where it has products.
                    EmitConstructor(w, spec, latents, observed, parameters, summed.Select(s => s.Node).ToList(), products, blocking, surface == Objective || products.Products.Count > 0);
                    EmitRead(w, spec, latents, parameters, summed.Select(s => s.Node).ToList());
                    foreach (var (z, children) in summed) SummedLatentEmitter.EmitWeightsMethod(w, spec, z, children, locals => EmitLocals(locals, spec));
                    EmitConstrain(w, spec, latents);
                    MatrixProductEmitter.EmitForward(w, spec, products, blocking);
                    EmitEvaluate(w, spec, plan, latents, parameters, summed, products, blocking, surface == Objective, layout.RowPlate);
                    // An observation that reads a summed-out latent has a mixture of expectations, not one; it is not predicted.
                    var mixed = new HashSet<NodeSpec>(summed.SelectMany(s => s.Children));
                    if (surface == Objective)
                    {
                        PredictionEmitter.Emit(w, spec, observed.Where(o => !mixed.Contains(o)).ToList(), products, blocking, locals => EmitLocals(locals, spec));
                        EmitConditionals(w, spec, summed.Select(s => s.Node).ToList());
                    }
                }
            }
            return new GeneratedFile($"{spec.ClassName}.{surface.File}.g.cs", w.ToString());
        }

        private static string Length(NodeSpec node) => node.Indices.Count == 0 ? "1" : string.Join(" * ", node.Indices.Select(i => $"model.{CodeExpr.Size(i.Plate)}"));

        private static string Offset(NodeSpec node) => $"{node.Name}Offset";

        private static void EmitFields(SourceWriter w, ModelSpec spec, List<(SampledLatent Plan, NodeSpec Node)> latents, List<NodeSpec> observed, List<NodeSpec> parameters)
        {
            w.Line($"private readonly {spec.ClassName} model;");
            foreach (var (plan, node) in latents)
            {
                w.Line($"// {node.Name}: {Describe(plan.Transform)} (line {node.Declaration.Location.Line})");
                w.Line($"private readonly int {Offset(node)};");
                w.Line($"private readonly double[] {ReverseMode.Value(node)}, {ReverseMode.Gradient(node)};");
                if (plan.Transform == LatentTransform.Interval) w.Line($"private readonly double[] {node.Name}Share, {node.Name}Width;");
            }
            foreach (var node in observed.Where(n => !IsAliased(n))) w.Line($"private readonly double[] {ReverseMode.Observed(node)};");
            foreach (var node in observed.Where(HoldsLogs)) w.Line($"private readonly double[] {Logs(node)}; // log {node.Name}, data: taken once rather than at every evaluation");
            foreach (var node in latents.Select(l => l.Node).Concat(observed).Concat(parameters).Where(SimplexEmitter.IsVector)) SimplexEmitter.EmitFields(w, node, node.Role == NodeRole.Latent);
            foreach (var node in parameters) w.Line($"private readonly double[] {ReverseMode.Gradient(node)}; // ∂log p/∂{node.Name} at the last point evaluated (line {node.Declaration.Location.Line})");
            w.Line();
        }

        private static string Describe(LatentTransform transform) => transform switch
        {
            LatentTransform.Identity => "reals, x = u",
            LatentTransform.Log => "positive, x = exp(u)",
            LatentTransform.Logit => "in (0, 1), x = logistic(u)",
            LatentTransform.Interval => "in (lower, upper), x = lower + (upper - lower)·logistic(u)",
            LatentTransform.Simplex => "a simplex along its Dirichlet's plate, by stick-breaking: K − 1 free coordinates a row",
            LatentTransform.PositiveOrdered => "positive and increasing along its last plate, x₀ = exp(u₀) and x_k = x_{k-1} + exp(u_k)",
            _ => "increasing along its last plate, x₀ = u₀ and x_k = x_{k-1} + exp(u_k)",
        };

        private static void EmitConstructor(SourceWriter w, ModelSpec spec, List<(SampledLatent Plan, NodeSpec Node)> latents, List<NodeSpec> observed, List<NodeSpec> parameters,
            List<NodeSpec> summed, Lowering.MatrixProducts products, ProductLayout.RowBlocking? blocking, bool threads)
        {
            using (w.Block($"public Posterior({spec.ClassName} model)"))
            {
                w.Line("this.model = model;");
                EmitHelpers.FixedEntryChecks(w, spec, "model.");
                w.Line("var ldOffset = 0;");
                foreach (var (plan, node) in latents)
                {
                    w.Line($"{Offset(node)} = ldOffset;");
                    w.Line($"ldOffset += {(plan.Transform == LatentTransform.Simplex ? SimplexEmitter.FreeLength(node, Length(node)) : Length(node))};");
                    w.Line($"{ReverseMode.Value(node)} = new double[{Length(node)}];");
                    w.Line($"{ReverseMode.Gradient(node)} = new double[{Length(node)}];");
                    if (plan.Transform == LatentTransform.Interval)
                        w.Line($"({node.Name}Share, {node.Name}Width) = (new double[{Length(node)}], new double[{Length(node)}]);");
                }
                w.Line("Dimension = ldOffset;");
                foreach (var node in latents.Select(l => l.Node).Concat(observed).Concat(parameters).Where(SimplexEmitter.IsVector))
                    SimplexEmitter.EmitAllocations(w, node, node.Role == NodeRole.Latent, Length(node));
                foreach (var z in summed) w.Line($"{SummedLatentEmitter.Weights(z)} = new double[{SummedLatentEmitter.Values(z, "model.")}];");
                foreach (var node in parameters) w.Line($"{ReverseMode.Gradient(node)} = new double[{Length(node)}];");
                MatrixProductEmitter.EmitAllocations(w, spec, products, blocking);
                foreach (var node in observed.Where(n => !IsAliased(n)))
                {
                    w.Line($"{ReverseMode.Observed(node)} = new double[{Length(node)}];");
                    w.Line(node.Indices.Count == 0 ? $"{ReverseMode.Observed(node)}[0] = model.{node.Name}Values;"
                        : StorageForms.IsCountMatrix(node)
                            ? $"global::Dsl.Runtime.Models.RowMajor.CopyFrom(model.{StorageForms.Counts(node)} ?? throw new global::System.InvalidOperationException(\"no counts stored for '{node.Name}'\"), {ReverseMode.Observed(node)});"
                            : $"global::Dsl.Runtime.Models.RowMajor.CopyFrom(model.{node.Name}Values, {ReverseMode.Observed(node)});");
                }
                foreach (var node in observed.Where(HoldsLogs))
                {
                    var values = IsAliased(node) ? $"global::Dsl.Runtime.Models.RowMajor.Flat(model.{node.Name}Values)" : ReverseMode.Observed(node);
                    w.Line($"{Logs(node)} = {Hmc}.LogDensity.Logarithms({values});");
                }
            }
            w.Line();
            w.Line("public int Dimension { get; }");
            w.Line();
            if (threads)
            {
                w.Line("/// <summary>Threads for the matrix products (the result does not depend on them).</summary>");
                w.Line("public int Threads { get; set; } = 1;");
                w.Line();
            }
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<string> Latents {{ get; }} = new string[] {{ {string.Join(", ", latents.Select(l => EmitHelpers.Literal(l.Node.Name)))} }};");
            w.Line();
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<string> Parameters {{ get; }} = new string[] {{ {string.Join(", ", parameters.Select(p => EmitHelpers.Literal(p.Name)))} }};");
            w.Line();
        }

        private static void EmitRead(SourceWriter w, ModelSpec spec, List<(SampledLatent Plan, NodeSpec Node)> latents, List<NodeSpec> parameters, List<NodeSpec> summed)
        {
            w.Line("/// <summary>A latent's constrained values at an unconstrained point, row-major; a summed-out latent drawn from its conditional there.</summary>");
            using (w.Block("public bool TryReadLatent(global::System.ReadOnlySpan<double> position, string node, global::System.Span<double> destination, ref global::Dsl.Runtime.Random.RandomStream random)"))
            {
                w.Line("Constrain(position);");
                using (w.Block("switch (node)"))
                {
                    foreach (var (_, node) in latents) w.Line($"case {EmitHelpers.Literal(node.Name)}: {ReverseMode.Value(node)}.CopyTo(destination); return true;");
                    EmitSummedCases(w, spec, summed, z => SummedLatentEmitter.EmitDraw(w, z));
                    w.Line("default: return false;");
                }
            }
            w.Line();
            w.Line("/// <summary>∂log p/∂(a parameter's values), row-major, at the point last evaluated.</summary>");
            using (w.Block("public bool TryReadParameterGradient(string node, global::System.Span<double> destination)"))
            using (w.Block("switch (node)"))
            {
                foreach (var node in parameters) w.Line($"case {EmitHelpers.Literal(node.Name)}: {ReverseMode.Gradient(node)}.CopyTo(destination); return true;");
                w.Line("default: return false;");
            }
            w.Line();
        }

        /// <summary>The objective's summed-out latents and their conditionals at the stored parameters.</summary>
        private static void EmitConditionals(SourceWriter w, ModelSpec spec, List<NodeSpec> summed)
        {
            w.Line("/// <summary>The discrete latents summed out of the likelihood, whose conditionals a fit reports.</summary>");
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<string> Summed {{ get; }} = new string[] {{ {string.Join(", ", summed.Select(z => EmitHelpers.Literal(z.Name)))} }};");
            w.Line();
            w.Line("/// <summary>p(z = v | observations, parameters) for every entry of a summed-out latent and each value v, [entry, value] row-major.</summary>");
            using (w.Block("public bool TryReadConditional(string node, global::System.Span<double> destination)"))
            using (w.Block("switch (node)"))
            {
                EmitSummedCases(w, spec, summed, z => SummedLatentEmitter.EmitConditional(w, z));
                w.Line("default: return false;");
            }
            w.Line();
        }

        /// <summary>A switch case per summed-out latent: the model's locals, then <paramref name="body"/> filling the destination.</summary>
        private static void EmitSummedCases(SourceWriter w, ModelSpec spec, List<NodeSpec> summed, System.Action<NodeSpec> body)
        {
            foreach (var z in summed)
            {
                w.Line($"case {EmitHelpers.Literal(z.Name)}:");
                using (w.Braces())
                {
                    EmitLocals(w, spec);
                    body(z);
                    w.Line("return true;");
                }
            }
        }

        /// <summary>An observed log-normal, whose logs are data and are held once (a scalar one keeps the plain kernel).</summary>
        private static bool HoldsLogs(NodeSpec node) =>
            node.Role == NodeRole.Observed && node.Declaration.Distribution!.Name == "LogNormal" && node.Indices.Count > 0;

        private static string Logs(NodeSpec node) => $"{node.Name}Logs";

        /// <summary>
        /// A real observation over plates is read in place, as a row-major view of the model's storage: a copy would
        /// double the largest array of a big fit. Counts (stored sparse or as integers) and scalars are copied once.
        /// </summary>
        private static bool IsAliased(NodeSpec node) => node.Role == NodeRole.Observed && node.Kind == ValueKind.Real && node.Indices.Count > 0;

        /// <summary>The plate sizes and stored data every expression may read, as locals (the names CodeExpr prints).</summary>
        private static void EmitLocals(SourceWriter w, ModelSpec spec)
        {
            foreach (var plate in spec.Plates) w.Line($"var {CodeExpr.Size(plate.Name)} = model.{CodeExpr.Size(plate.Name)};");
            foreach (var node in spec.Nodes.Where(n => n.Role is NodeRole.Data or NodeRole.Param)) w.Line($"var {node.Name}Values = model.{node.Name}Values;");
            foreach (var node in spec.Nodes.Where(IsAliased))
                w.Line($"var {ReverseMode.Observed(node)} = global::Dsl.Runtime.Models.RowMajor.Flat(model.{node.Name}Values);");
        }

        private static void EmitConstrain(SourceWriter w, ModelSpec spec, List<(SampledLatent Plan, NodeSpec Node)> latents)
        {
            w.Line("/// <summary>Maps the unconstrained point onto each latent's support; returns the log Jacobian of the maps.</summary>");
            using (w.Block("private double Constrain(global::System.ReadOnlySpan<double> position)"))
            {
                EmitLocals(w, spec);
                w.Line("var logJacobian = 0.0;");
                var reverse = new ReverseMode(w, spec);
                foreach (var (plan, node) in latents)
                {
                    var (value, offset) = (ReverseMode.Value(node), Offset(node));
                    w.Line($"// {node.Name}: {Describe(plan.Transform)}");
                    switch (plan.Transform)
                    {
                        case LatentTransform.Identity:
                            w.Line($"position.Slice({offset}, {value}.Length).CopyTo({value});");
                            break;
                        case LatentTransform.Log:
                            using (w.Block($"for (var ldE = 0; ldE < {value}.Length; ldE++)"))
                            {
                                w.Line($"{value}[ldE] = global::System.Math.Exp(position[{offset} + ldE]);");
                                w.Line($"logJacobian += position[{offset} + ldE];");
                            }
                            break;
                        case LatentTransform.Logit:
                            using (w.Block($"for (var ldE = 0; ldE < {value}.Length; ldE++)"))
                            {
                                w.Line($"var ldU = position[{offset} + ldE];");
                                w.Line($"{value}[ldE] = {Special}.Logistic(ldU);");
                                w.Line($"logJacobian -= {Special}.Softplus(-ldU) + {Special}.Softplus(ldU);");
                            }
                            break;
                        case LatentTransform.Interval:
                            using (w.Braces())
                            using (BindingEmitter.Loops(w, node.Indices))
                            {
                                var scope = new ReverseMode.Scope(node.Indices.Select(i => i.Variable));
                                var lower = reverse.Local("Lower", reverse.Of(plan.Lower!, scope));
                                var upper = reverse.Local("Upper", reverse.Of(plan.Upper!, scope));
                                w.Line($"var ldE = {ReverseMode.Position(node)};");
                                w.Line($"var ldU = position[{offset} + ldE];");
                                w.Line($"{node.Name}Share[ldE] = {Special}.Logistic(ldU);");
                                w.Line($"{node.Name}Width[ldE] = {upper} - {lower};");
                                w.Line($"{value}[ldE] = {lower} + {node.Name}Width[ldE] * {node.Name}Share[ldE];");
                                w.Line($"logJacobian += global::System.Math.Log({node.Name}Width[ldE]) - {Special}.Softplus(-ldU) - {Special}.Softplus(ldU);");
                            }
                            break;
                        case LatentTransform.Simplex:
                            SimplexEmitter.EmitConstrain(w, node, offset);
                            break;
                        case LatentTransform.Ordered or LatentTransform.PositiveOrdered:
                            var positive = plan.Transform == LatentTransform.PositiveOrdered;
                            EmitOrderedRows(w, node, (start, size) =>
                            {
                                w.Line($"var ldRunning = {(positive ? $"global::System.Math.Exp(position[{offset} + {start}])" : $"position[{offset} + {start}]")};");
                                w.Line($"{value}[{start}] = ldRunning;");
                                if (positive) w.Line($"logJacobian += position[{offset} + {start}];");
                                using (w.Block($"for (var ldK = 1; ldK < {size}; ldK++)"))
                                {
                                    w.Line($"ldRunning += global::System.Math.Exp(position[{offset} + {start} + ldK]);");
                                    w.Line($"{value}[{start} + ldK] = ldRunning;");
                                    w.Line($"logJacobian += position[{offset} + {start} + ldK];");
                                }
                            });
                            break;
                    }
                }
                w.Line("return logJacobian;");
            }
            w.Line();
        }

        /// <summary>One block per row of an ordered node (every index but the last), given the row's start and length.</summary>
        private static void EmitOrderedRows(SourceWriter w, NodeSpec node, System.Action<string, string> row)
        {
            var leading = node.Indices.Take(node.Indices.Count - 1).ToList();
            var size = CodeExpr.Size(node.Indices[node.Indices.Count - 1].Plate);
            using (w.Braces())
            using (BindingEmitter.Loops(w, leading))
            {
                var start = leading.Count == 0 ? "0"
                    : $"({CodeExpr.RowMajor(leading.Select(i => i.Variable).ToList(), leading.Select(i => CodeExpr.Size(i.Plate)).ToList())}) * {size}";
                w.Line($"var ldRowStart = {start};");
                row("ldRowStart", size);
            }
        }

        private static void EmitEvaluate(SourceWriter w, ModelSpec spec, SamplingPlan plan, List<(SampledLatent Plan, NodeSpec Node)> latents, List<NodeSpec> parameters,
            List<(NodeSpec Node, List<NodeSpec> Children)> summed, Lowering.MatrixProducts products, ProductLayout.RowBlocking? blocking, bool objective, string? rowPlate)
        {
            void Body((string Start, string Count)? rows, string? scale)
            {
                foreach (var node in latents.Select(l => l.Node).Concat(parameters)) w.Line($"global::System.Array.Clear({ReverseMode.Gradient(node)});");
                MatrixProductEmitter.EmitEvaluation(w, products, blocking);
                EmitLocals(w, spec);
                var reverse = new ReverseMode(w, spec, products);
                var terms = plan.Terms.Select(name => ExprTools.Find(spec, name)!).ToList();
                if (blocking is null && rows is null)
                    foreach (var node in terms) EmitTerm(w, spec, reverse, node);
                else
                {
                    // The observations run over their rows (a range of them, block by block where products are blocked); the priors whole.
                    foreach (var node in terms.Where(n => n.Role != NodeRole.Observed)) EmitTerm(w, spec, reverse, node);
                    var observed = terms.Where(n => n.Role == NodeRole.Observed).ToList();
                    if (blocking is not null)
                        MatrixProductEmitter.InBlocks(w, reverse, blocking, () =>
                        {
                            foreach (var node in observed) EmitTerm(w, spec, reverse, node, () => MatrixProductEmitter.BlockLoops(w, node.Indices), scale);
                            MatrixProductEmitter.EmitBlockBackward(w, blocking);
                        }, rows?.Start ?? "0", rows?.Count);
                    else
                        foreach (var node in observed) EmitTerm(w, spec, reverse, node, () => MatrixProductEmitter.BlockLoops(w, node.Indices, rows!.Value.Start, rows.Value.Count), scale);
                }
                foreach (var (z, children) in summed) SummedLatentEmitter.EmitTerm(w, spec, reverse, z, children);
                MatrixProductEmitter.EmitBackward(w, spec, products, blocking);
            }

            w.Line("/// <summary>log p at an unconstrained point, and its gradient there (the parameters' gradients are kept for TryReadParameterGradient).</summary>");
            if (objective && rowPlate is not null)
            {
                // A model of parameters only: the whole log likelihood is every row at scale 1.
                w.Line($"public double Evaluate(global::System.ReadOnlySpan<double> position, global::System.Span<double> gradient) => EvaluateRows(0, model.{CodeExpr.Size(rowPlate)}, 1.0);");
                w.Line();
                w.Line($"/// <summary>The plate minibatches are drawn over: every observation's first.</summary>");
                w.Line($"public string? RowPlate => {EmitHelpers.Literal(rowPlate)};");
                w.Line();
                w.Line("/// <summary>");
                w.Line($"/// The log priors, plus the observations' log densities over rows ldRowStart to ldRowStart + ldRowCount − 1 of {rowPlate} times");
                w.Line("/// ldScale (N / rows: an unbiased estimate of the whole from a minibatch), with the gradients of both.");
                w.Line("/// </summary>");
                using (w.Block("public double EvaluateRows(int ldRowStart, int ldRowCount, double ldScale)"))
                {
                    w.Line("var logDensity = 0.0;");
                    Body(("ldRowStart", "ldRowCount"), "ldScale");
                    w.Line("return logDensity;");
                }
                w.Line();
                return;
            }
            using (w.Block("public double Evaluate(global::System.ReadOnlySpan<double> position, global::System.Span<double> gradient)"))
            {
                w.Line("var logDensity = Constrain(position);");
                Body(null, null);
                EmitChainRule(w, latents);
                w.Line("return logDensity;");
            }
            w.Line();
            if (!objective) return;
            w.Line("/// <summary>No plate to draw minibatches over: an observation is not a scalar term over a first plate all of them share.</summary>");
            w.Line("public string? RowPlate => null;");
            w.Line();
            w.Line("public double EvaluateRows(int ldRowStart, int ldRowCount, double ldScale) => throw new global::System.NotSupportedException(\"the observations share no first plate to draw minibatches over\");");
            w.Line();
        }

        /// <summary>One random node's log density summed over its entries, its partials sent back through its arguments.</summary>
        /// <param name="loops">the term's loops over its entries (a range of its first plate's rows); all of them by default</param>
        /// <param name="scale">a factor on the term and its partials (a minibatch's N / rows); none by default</param>
        private static void EmitTerm(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec node, System.Func<System.IDisposable>? loops = null, string? scale = null)
        {
            if (SimplexEmitter.IsVector(node))
            {
                SimplexEmitter.EmitTerm(w, spec, reverse, node);
                return;
            }
            if (node.Declaration.Distribution!.Name == "Categorical")
            {
                EmitCategoricalTerm(w, spec, reverse, node);
                return;
            }
            w.Line($"// log p({node.Name}) over its entries: {node.Name} ~ {ExprPrinter.Print(node.Declaration.Distribution!)} (line {node.Declaration.Location.Line})");
            using (w.Braces())
            {
                var arguments = Arguments(spec, node);
                // A Bernoulli written out in its stable logs differentiates its probability itself, entry by entry.
                var invariant = StableBernoulli(node, arguments) is null ? InvariantArguments.Hoist(w, spec, reverse, node, arguments) : InvariantArguments.None(arguments);
                using (loops?.Invoke() ?? BindingEmitter.Loops(w, node.Indices))
                    EmitEntry(w, spec, reverse, node, arguments, invariant, scale);
                invariant.Accumulate(reverse, scale);
            }
        }

        /// <summary>One entry's log density, and its partials sent back to what its arguments read (a hoisted argument's summed instead).</summary>
        private static void EmitEntry(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec node, List<Expr> arguments, InvariantArguments invariant, string? scale)
        {
            {
                var scope = new ReverseMode.Scope(node.Indices.Select(i => i.Variable));
                var position = reverse.Local("At", ReverseMode.Position(node));
                EmitSkipMissing(w, reverse, node, position, scope);
                var self = ExprTools.OwnCall(node);
                var logged = HoldsLogs(node);
                var x = node.Role switch
                {
                    NodeRole.Latent => $"{ReverseMode.Value(node)}[{position}]",
                    NodeRole.Param => reverse.Of(self, scope),
                    _ when logged => $"{Logs(node)}[{position}]",
                    _ => $"{ReverseMode.Observed(node)}[{position}]",
                };
                var term = scale is null ? "logDensity" : reverse.Local("Term", "0.0");
                if (StableBernoulli(node, arguments) is { } logs)
                {
                    EmitBernoulliBranches(w, reverse, x, term, logs, scope, scale);
                    if (scale is not null) w.Line($"logDensity += {scale} * {term};");
                    return;
                }
                var partials = DensityCall(w, reverse, node, arguments, scope, x, term, invariant, logged ? "Normal" : null);
                // A log-normal's density is the Normal's of log y over y: log p(y) = log N(log y) − log y.
                if (logged) w.Line($"{term} -= {x};");
                if (scale is not null) w.Line($"logDensity += {scale} * {term};");
                for (var a = 0; a < arguments.Count; a++)
                {
                    if (invariant.AdjointOf(a) is { } total) w.Line($"{total} += {partials[a + 1]};");
                    else if (!invariant.IsHoisted(a)) reverse.Accumulate(arguments[a], scale is null ? partials[a + 1] : $"{scale} * {partials[a + 1]}", scope);
                }
                if (node.Role is NodeRole.Latent or NodeRole.Param) w.Line($"{ReverseMode.Gradient(node)}[{position}] += {partials[0]};");
            }
        }

        /// <summary>
        /// An observed Bernoulli given by its probability, where <see cref="Lowering.BernoulliLogs"/> finds a form of log p
        /// or log(1 − p) that stays finite where p rounds to 0 or 1 (a complementary log-log link): those two
        /// expressions, or null where they are the plain logarithms, which the kernel computes as well.
        /// </summary>
        private static (Expr On, Expr Off)? StableBernoulli(NodeSpec node, List<Expr> arguments)
        {
            var distribution = node.Declaration.Distribution!;
            if (node.Role != NodeRole.Observed || distribution.Name != "Bernoulli" || distribution.Arguments.Any(a => a.Name == "logit")) return null;
            var (on, off) = Lowering.BernoulliLogs.Of(arguments[0]);
            bool Plain(Expr e) => e is FunctionExpr { Function: "Log" };
            return Plain(on) && Plain(off) ? null : (on, off);
        }

        /// <summary>
        /// log p(y) as log p where y = 1 and log(1 − p) where y = 0, each differentiated in its own branch, with a scope
        /// of its own: a sum in the predictor is computed in each branch that reads it.
        /// </summary>
        private static void EmitBernoulliBranches(SourceWriter w, ReverseMode reverse, string value, string term, (Expr On, Expr Off) logs, ReverseMode.Scope scope, string? scale)
        {
            void Branch(Expr log)
            {
                var branch = scope.Branch();
                w.Line($"{term} += {reverse.Of(log, branch)};");
                reverse.Accumulate(log, scale ?? "1.0", branch);
            }
            using (w.Block($"if ({value} == 1)")) Branch(logs.On);
            using (w.Block("else")) Branch(logs.Off);
        }

        /// <summary>An entry the declaration marks missing adds nothing: <c>[MeasuredWhere(mask)]</c> skips where the mask is 0, <c>[ZerosMissing]</c> where the value is.</summary>
        public static void EmitSkipMissing(SourceWriter w, ReverseMode reverse, NodeSpec node, string position, ReverseMode.Scope scope)
        {
            if (node.Declaration.Constraints.Missing is not { } missing) return;
            if (missing.Mask is { } mask)
            {
                var read = new NodeCallExpr(mask, node.Indices.Select(i => (Expr)new IndexExpr(i.Variable, i.Location)).ToEquatableArray(), missing.Location);
                w.Line($"if ({reverse.Of(read, scope)} == 0) continue; // not measured: {mask} is 0 here");
            }
            else w.Line($"if ({ReverseMode.Observed(node)}[{position}] == 0) continue; // a zero is missing, not measured");
        }

        /// <summary>An observed category: log p(y = its entry), an expression of the weights (normalised by their sum, or a softmax of logits).</summary>
        private static void EmitCategoricalTerm(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec node)
        {
            w.Line($"// log p({node.Name}) over its entries: {node.Name} ~ {ExprPrinter.Print(node.Declaration.Distribution!)} (line {node.Declaration.Location.Line})");
            using (w.Braces())
            using (BindingEmitter.Loops(w, node.Indices))
            {
                var scope = new ReverseMode.Scope(node.Indices.Select(i => i.Variable));
                var self = ExprTools.OwnCall(node);
                var logProbability = SummedLatentEmitter.LogProbability(spec, node, self);
                w.Line($"logDensity += {reverse.Of(logProbability, scope)};");
                reverse.Accumulate(logProbability, "1.0", scope);
            }
        }

        /// <summary>A random node's distribution arguments in the catalogue's order (the link given), deterministic nodes inlined.</summary>
        public static List<Expr> Arguments(ModelSpec spec, NodeSpec node)
        {
            var distribution = node.Declaration.Distribution!;
            return DistributionCatalog.Find(distribution.Name)!.Parameters.Where(p => distribution.Arguments.Any(a => a.Name == p.Name))
                .Select(p => ExprTools.Argument(node, p.Name, spec)!).ToList();
        }

        /// <summary>
        /// <c>target += LogDensity.X(value, arguments..., out partials)</c> at the given argument expressions (the value
        /// discarded where only the partials are wanted, target null); returns the partials' names, the value's first.
        /// </summary>
        /// <param name="family">the kernel's family where it is not the node's distribution (a log-normal observation read as a Normal of its logs)</param>
        public static List<string> DensityCall(SourceWriter w, ReverseMode reverse, NodeSpec node, IReadOnlyList<Expr> arguments, ReverseMode.Scope scope,
            string value, string? target, InvariantArguments? invariant = null, string? family = null)
        {
            var (method, given) = Kernel(node, family);
            var values = arguments.Select((a, i) => invariant?.ValueOf(i) ?? reverse.Local("Arg", reverse.Of(a, scope))).ToList();
            if (invariant?.Kernel is { } kernel) (method, values) = (method + kernel.Suffix, values.Concat(kernel.Extra).ToList());
            var partials = new[] { reverse.Name("DValue") }.Concat(given.Select(p => reverse.Name("D" + EmitHelpers.Capitalised(p.Name)))).ToList();
            w.Line($"{(target is null ? "_ =" : target + " +=")} {Hmc}.LogDensity.{method}({string.Join(", ", new[] { value }.Concat(values).Concat(partials.Select(p => $"out var {p}")))});");
            return partials;
        }

        /// <summary>The runtime kernel a random node's log density calls (its family, with Logit where the link is given) and the parameters it is given, in the catalogue's order.</summary>
        public static (string Method, List<DistributionParameter> Given) Kernel(NodeSpec node, string? family = null)
        {
            var distribution = node.Declaration.Distribution!;
            var given = DistributionCatalog.Find(distribution.Name)!.Parameters.Where(p => distribution.Arguments.Any(a => a.Name == p.Name)).ToList();
            return ((family ?? distribution.Name) + (given.Any(p => p.Name == "logit") ? "Logit" : ""), given);
        }

        /// <summary>∂/∂u = ∂/∂x · dx/du + d(log Jacobian)/du for each latent's transform.</summary>
        private static void EmitChainRule(SourceWriter w, List<(SampledLatent Plan, NodeSpec Node)> latents)
        {
            foreach (var (plan, node) in latents)
            {
                var (value, grad, offset) = (ReverseMode.Value(node), ReverseMode.Gradient(node), Offset(node));
                w.Line($"// {node.Name}: back through {Describe(plan.Transform)}");
                if (plan.Transform == LatentTransform.Simplex)
                {
                    SimplexEmitter.EmitChainRule(w, node, offset);
                    continue;
                }
                if (plan.Transform is LatentTransform.Ordered or LatentTransform.PositiveOrdered)
                {
                    // x_j = u₀ + Σ_{1≤i≤j} exp(u_i) (positive: exp(u₀) in place of u₀): ∂/∂u_k collects the gradients of every x_j with j ≥ k.
                    var positive = plan.Transform == LatentTransform.PositiveOrdered;
                    EmitOrderedRows(w, node, (start, size) =>
                    {
                        w.Line("var ldTail = 0.0;");
                        using (w.Block($"for (var ldK = {size} - 1; ldK >= 1; ldK--)"))
                        {
                            w.Line($"ldTail += {grad}[{start} + ldK];");
                            w.Line($"gradient[{offset} + {start} + ldK] = ldTail * ({value}[{start} + ldK] - {value}[{start} + ldK - 1]) + 1;");
                        }
                        w.Line(positive ? $"gradient[{offset} + {start}] = (ldTail + {grad}[{start}]) * {value}[{start}] + 1;" : $"gradient[{offset} + {start}] = ldTail + {grad}[{start}];");
                    });
                    continue;
                }
                using (w.Block($"for (var ldE = 0; ldE < {value}.Length; ldE++)"))
                {
                    w.Line(plan.Transform switch
                    {
                        LatentTransform.Identity => $"gradient[{offset} + ldE] = {grad}[ldE];",
                        LatentTransform.Log => $"gradient[{offset} + ldE] = {grad}[ldE] * {value}[ldE] + 1;",
                        LatentTransform.Logit => $"gradient[{offset} + ldE] = {grad}[ldE] * {value}[ldE] * (1 - {value}[ldE]) + 1 - 2 * {value}[ldE];",
                        _ => $"gradient[{offset} + ldE] = {grad}[ldE] * {node.Name}Width[ldE] * {node.Name}Share[ldE] * (1 - {node.Name}Share[ldE]) + 1 - 2 * {node.Name}Share[ldE];",
                    });
                }
            }
        }
    }
}
