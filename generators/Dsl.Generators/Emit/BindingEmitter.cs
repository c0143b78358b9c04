using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// <c>{Model}.Binding.g.cs</c>, for every valid model whatever engine fits it (or none): plate sizes, the storage
    /// of observed nodes, the node descriptor that data files are bound against, name-keyed access to stored values
    /// (<c>IDeclaredModel</c>), starting values from constraints, and ancestral simulation
    /// (<see cref="SimulationEmitter"/>).
    /// </summary>
    internal static class BindingEmitter
    {
        private const string Models = "global::Dsl.Runtime.Models";

        /// <param name="gibbs">the Gibbs-EM plan, when one claims the model: its latents' current draws become readable</param>
        /// <param name="variational">the VI plan, when one claims the model: simulation runs its networks</param>
        /// <param name="exchangeable">the plates whose labels the samplers align (<see cref="ModelPlans.Exchangeable"/>)</param>
        public static GeneratedFile Emit(ModelSpec spec, GibbsPlan? gibbs, JointVariationalPlan? variational, EquatableArray<string> exchangeable)
        {
            var counts = new HashSet<string>(spec.Nodes.Where(StorageForms.IsCountMatrix).Select(n => n.Name));
            var w = EmitHelpers.Header("Binding", spec.Namespace, spec.ClassName);
            using (w.Block($"partial class {spec.ClassName} : {Models}.IDeclaredModel"))
            {
                EmitHelpers.PlateSizes(w, spec);
                EmitObservedStorage(w, spec, counts);
                DerivedDataEmitter.Emit(w, spec);
                EmitDescriptor(w, spec, exchangeable, variational);
                EmitPlateAccess(w, spec);
                EmitStore(w, spec, counts);
                EmitStoreCounts(w, spec, counts);
                EmitRead(w, spec, counts, gibbs is not null);
                EmitStartingValues(w, spec);
                EmitEvaluate(w, spec);
                SimulationEmitter.Emit(w, spec, variational);
            }
            return new GeneratedFile($"{spec.ClassName}.Binding.g.cs", w.ToString());
        }

        private static IEnumerable<NodeSpec> Stored(ModelSpec spec, NodeRole role) => spec.Nodes.Where(n => n.Role == role);

        private static string ElementType(NodeSpec node) => node.Kind == ValueKind.Real ? "double" : "int";

        private static string Sizes(NodeSpec node) => string.Join(", ", node.Indices.Select(i => CodeExpr.Size(i.Plate)));

        private static void EmitObservedStorage(SourceWriter w, ModelSpec spec, IReadOnlyCollection<string> counts)
        {
            foreach (var node in Stored(spec, NodeRole.Observed))
            {
                if (counts.Contains(node.Name))
                {
                    w.Line($"/// <summary>Counts of [Observed] {IrPrinter.Signature(node.Declaration)} (line {node.Declaration.Location.Line}), sparse rows over plate {node.Indices[0].Plate}, columns over {node.Indices[1].Plate}.</summary>");
                    w.Line($"public global::Dsl.Runtime.Data.CountMatrix? {StorageForms.Counts(node)} {{ get; set; }}");
                    w.Line();
                    continue;
                }
                var type = ElementType(node);
                w.Line($"/// <summary>Values of [Observed] {IrPrinter.Signature(node.Declaration)} (line {node.Declaration.Location.Line}).</summary>");
                w.Line(node.Indices.Count == 0
                    ? $"public {type} {node.Name}Values {{ get; set; }}"
                    : $"public {type}[{new string(',', node.Indices.Count - 1)}] {node.Name}Values {{ get; set; }} = new {type}[{string.Join(", ", node.Indices.Select(_ => "0"))}];");
                w.Line();
            }
        }

        private static void EmitDescriptor(SourceWriter w, ModelSpec spec, EquatableArray<string> exchangeable, JointVariationalPlan? variational)
        {
            w.Line("/// <summary>Plates and nodes as data files bind to them and outputs name them.</summary>");
            w.Line($"public static {Models}.ModelDescriptor Descriptor {{ get; }} = new(");
            using (w.Indent(1))
            {
                w.Line($"{EmitHelpers.Literal(spec.ClassName)},");
                w.Line($"new string[] {{ {string.Join(", ", spec.Plates.Select(p => EmitHelpers.Literal(p.Name)))} }},");
                w.Line($"new {Models}.NodeDescriptor[]");
                w.Line("{");
                using (w.Indent(1))
                {
                    var uninformed = DataReach.Uninformed(spec);
                    var integrated = variational?.IntegratedOut ?? EquatableArray<string>.Empty;
                    foreach (var node in spec.Nodes)
                    {
                        var c = node.Declaration.Constraints;
                        w.Line($"new({EmitHelpers.Literal(node.Name)}, global::Dsl.Runtime.Graph.GraphNodeRole.{node.Declaration.Role}, " +
                            $"new string[] {{ {string.Join(", ", node.Indices.Select(i => EmitHelpers.Literal(i.Plate)))} }}, " +
                            $"{Models}.ValueSupport.{Support(node, spec)}, {EmitHelpers.Literal(node.IndexPlate)}, " +
                            $"{EmitHelpers.Literal(c.Simplex ? c.SimplexOver : null)}, {(c.Floor is { } f ? CodeExpr.Number(f) : "null")}, {node.Declaration.Location.Line}" +
                            (UseSupport(spec, node) is { } use ? $", {EmitHelpers.Literal(use.From)}" : "") +
                            (uninformed.Contains(node.Name) ? ", Informed: false" : "") +
                            (integrated.Contains(node.Name) ? $", IntegratedInto: {EmitHelpers.Literal(spec.Nodes.First(n => n.Parents.Contains(node.Name)).Name)}" : "") + "),");
                    }
                }
                var declared = spec.Plates.Where(p => p.Size is not null).Select(p => $"[{EmitHelpers.Literal(p.Name)}] = {p.Size}").ToList();
                var sizes = declared.Count == 0 ? "" : $", new global::System.Collections.Generic.Dictionary<string, int> {{ {string.Join(", ", declared)} }}";
                var labels = exchangeable.Count == 0 ? "" : $", ExchangeablePlates: new string[] {{ {string.Join(", ", exchangeable.Select(EmitHelpers.Literal))} }}";
                w.Line($"}}{sizes}{labels});");
            }
            w.Line();
            w.Line($"{Models}.ModelDescriptor {Models}.IDeclaredModel.Descriptor => Descriptor;");
            w.Line();
        }

        /// <summary>
        /// A data node must lie in the support its uses need, so the binder can say why a value is refused and a
        /// simulation draws a valid default: read whole as a distribution's argument, that argument's support (a known
        /// sd is positive); a factor of a product that is a positive argument (an exposure in a rate e·λ), that support
        /// too, and a factor of a term of a sum in one, non-negative; a factor of the numerator of a probability
        /// normalised by a sum (a multinomial's w_i·s_i / Σ_n w_n·s_n), non-negative; read inside Log, positive, and
        /// inside Sqrt, non-negative. Returns the strictest use and where it is.
        /// </summary>
        private static (Ir.Support Support, string From)? UseSupport(ModelSpec spec, NodeSpec data)
        {
            if (data.Role != NodeRole.Data || data.Kind == ValueKind.Index) return null;
            bool IsData(Expr e) => e is NodeCallExpr call && call.Node == data.Name;
            var uses = new List<(Ir.Support Support, string From)>();
            foreach (var node in spec.Nodes)
            {
                var arguments = node.Declaration.Distribution?.Arguments.AsEnumerable() ?? Enumerable.Empty<ArgumentDecl>();
                foreach (var argument in arguments)
                {
                    var support = DistributionCatalog.Find(node.Declaration.Distribution!.Name)?.Parameter(argument.Name)?.Support;
                    var whole = $"the {argument.Name} of {node.Name} (line {argument.Location.Line})";
                    // A categorical's probabilities are a lambda over its plate: its body is read whole, entry by entry.
                    var read = argument.Value is LambdaExpr lambda ? lambda.Body : argument.Value;
                    if (support is not (null or Ir.Support.Real) && IsData(read)) uses.Add((support.Value, whole));
                    else if (support is Ir.Support.Positive or Ir.Support.NonNegative)
                        foreach (var (factor, inSum) in SignedFactors(argument.Value, false).Where(f => IsData(f.Factor)))
                        {
                            if (inSum) uses.Add((Ir.Support.NonNegative, $"a factor of a term of the sum in {whole}"));
                            else if (ExprTools.Factors(argument.Value).Count > 1) uses.Add((support.Value, $"a factor of {whole}"));
                        }
                    else if (support is Ir.Support.UnitInterval && read is BinaryExpr { Operator: '/', Left: var numerator, Right: SumExpr } && ExprTools.Factors(numerator).Any(IsData))
                        uses.Add((Ir.Support.NonNegative, $"a weight normalised in {whole}"));
                }
                var expressions = arguments.Select(a => a.Value).Concat(node.Declaration.Body is { } body ? new[] { body } : new Expr[0]);
                foreach (var f in expressions.SelectMany(ExprTools.Subexpressions).OfType<FunctionExpr>())
                {
                    if (f.Arguments.Count != 1 || !IsData(f.Arguments[0])) continue;
                    if (f.Function == "Log") uses.Add((Ir.Support.Positive, $"the argument of Log in {node.Name} (line {f.Location.Line})"));
                    else if (f.Function == "Sqrt") uses.Add((Ir.Support.NonNegative, $"the argument of Sqrt in {node.Name} (line {f.Location.Line})"));
                }
            }
            // Positive is the strictest of the ordered supports; a probability or a count keeps its own.
            return uses.Count == 0 ? null : uses.OrderBy(u => u.Support == Ir.Support.Positive ? 0 : 1).First();
        }

        /// <summary>
        /// The factors of a product, and the factors of each term of a sum among them (a mixture's known profiles in
        /// Σ_k profile·activity), each flagged with whether it sits inside such a sum: a positive total lets a term's
        /// factor be zero, not negative.
        /// </summary>
        private static IEnumerable<(Expr Factor, bool InSum)> SignedFactors(Expr e, bool inSum) =>
            ExprTools.Factors(e).SelectMany(f => f is SumExpr sum ? SignedFactors(sum.Over.Body, true) : new[] { (f, inSum) });

        /// <summary>What a node may hold: a plate index, its constraint, else its distribution's support, else its type's (a data node: its use's).</summary>
        private static string Support(NodeSpec node, ModelSpec spec)
        {
            if (UseSupport(spec, node) is { } use) return use.Support.ToString();
            if (node.Kind == ValueKind.Index) return "PlateIndex";
            if (node.Declaration.Constraints.Simplex) return "UnitInterval";
            if (node.Declaration.Constraints.Positive) return "Positive";
            if (node.Declaration.Distribution is { } d && DistributionCatalog.Find(d.Name) is { } info)
                return info.Draws switch
                {
                    Ir.Support.Category => "PlateIndex",
                    // An observed or scalar continuous draw (Beta, a Dirichlet row); a probability argument, or a simplex
                    // latent's entry (which the samplers may leave at 0), keeps the closed interval.
                    Ir.Support.UnitInterval when !info.IsVector || node.Role == NodeRole.Observed => "OpenUnitInterval",
                    _ => info.Draws.ToString(),
                };
            return node.Kind == ValueKind.Integer ? "Integer" : "Real";
        }

        private static void EmitPlateAccess(SourceWriter w, ModelSpec spec)
        {
            using (w.Block("public int GetPlateSize(string plate) => plate switch"))
            {
                foreach (var plate in spec.Plates) w.Line($"{EmitHelpers.Literal(plate.Name)} => {CodeExpr.Size(plate.Name)},");
                w.Line($"_ => throw new global::System.ArgumentException(\"{spec.ClassName} has no plate '\" + plate + \"'\"),");
            }
            w.Line(";");
            w.Line();
            using (w.Block("public void SetPlateSize(string plate, int size)"))
            using (w.Block("switch (plate)"))
            {
                foreach (var plate in spec.Plates) w.Line($"case {EmitHelpers.Literal(plate.Name)}: {CodeExpr.Size(plate.Name)} = size; break;");
                w.Line($"default: throw new global::System.ArgumentException(\"{spec.ClassName} has no plate '\" + plate + \"'\");");
            }
            w.Line();
        }

        private static void EmitStore(SourceWriter w, ModelSpec spec, IReadOnlyCollection<string> counts)
        {
            using (w.Block("public void Store(string node, global::System.ReadOnlySpan<double> values)"))
            using (w.Block("switch (node)"))
            {
                foreach (var node in spec.Nodes.Where(n => n.Role is NodeRole.Param or NodeRole.Data or NodeRole.Observed && !n.Derived))
                {
                    var target = $"{node.Name}Values";
                    if (counts.Contains(node.Name))
                        w.Line($"case {EmitHelpers.Literal(node.Name)}: {node.Name}Counts = {Models}.RowMajor.ToCountMatrix(values, {Sizes(node)}); break;");
                    else if (node.Indices.Count == 0)
                        w.Line($"case {EmitHelpers.Literal(node.Name)}: {target} = {(node.Kind == ValueKind.Real ? "values[0]" : "checked((int)values[0])")}; break;");
                    else
                        w.Line($"case {EmitHelpers.Literal(node.Name)}: {target} = new {ElementType(node)}[{Sizes(node)}]; {Models}.RowMajor.CopyTo(values, {target}); break;");
                }
                w.Line($"default: throw new global::System.ArgumentException(\"'\" + node + \"' is not a data, observed or parameter node of {spec.ClassName}\");");
            }
            w.Line();
        }

        /// <summary>A count node's sparse matrix stored as it is, its shape checked against the plate sizes (no dense copy of a large matrix).</summary>
        private static void EmitStoreCounts(SourceWriter w, ModelSpec spec, IReadOnlyCollection<string> counts)
        {
            using (w.Block("public void StoreCounts(string node, global::Dsl.Runtime.Data.CountMatrix counts)"))
            using (w.Block("switch (node)"))
            {
                foreach (var node in spec.Nodes.Where(n => counts.Contains(n.Name)))
                    w.Line($"case {EmitHelpers.Literal(node.Name)}: global::Dsl.Runtime.Inference.ShapeCheck.RequireCounts({EmitHelpers.Literal(node.Name)}, counts, {Sizes(node)}); {node.Name}Counts = counts; break;");
                w.Line($"default: throw new global::System.ArgumentException(\"'\" + node + \"' is not stored as counts in {spec.ClassName} (an observed integer node over two plates is); store its values with Store\");");
            }
            w.Line();
        }

        private static void EmitRead(SourceWriter w, ModelSpec spec, IReadOnlyCollection<string> counts, bool latentDraws)
        {
            using (w.Block("public bool TryRead(string node, global::System.Span<double> destination)"))
            {
                using (w.Block("switch (node)"))
                {
                    foreach (var node in spec.Nodes.Where(n => n.Role is NodeRole.Param or NodeRole.Data or NodeRole.Observed))
                    {
                        if (counts.Contains(node.Name))
                            w.Line($"case {EmitHelpers.Literal(node.Name)}: if ({node.Name}Counts is null) return false; {Models}.RowMajor.CopyFrom({node.Name}Counts, destination); return true;");
                        else if (node.Indices.Count == 0)
                            w.Line($"case {EmitHelpers.Literal(node.Name)}: destination[0] = {node.Name}Values; return true;");
                        else
                            w.Line($"case {EmitHelpers.Literal(node.Name)}: {Models}.RowMajor.CopyFrom({node.Name}Values, destination); return true;");
                    }
                    if (latentDraws) EmitLatentCases(w, spec, "Draw");
                }
                w.Line("return false;");
            }
            w.Line();
            if (!latentDraws) return;
            w.Line("/// <summary>A latent's posterior mean over the sweeps recorded in the last E-step, row-major; false for any other node.</summary>");
            using (w.Block("public bool TryReadPosteriorMean(string node, global::System.Span<double> destination)"))
            {
                using (w.Block("switch (node)"))
                    EmitLatentCases(w, spec, "PosteriorMean");
                w.Line("return false;");
            }
            w.Line();
        }

        /// <summary>
        /// One case per latent the sweep samples, copying the Gibbs accessor {latent}{accessor}(entry) row-major over
        /// its plates; a latent no observation depends on is not sampled (DSL0309), and reads as absent.
        /// </summary>
        private static void EmitLatentCases(SourceWriter w, ModelSpec spec, string accessor)
        {
            var uninformed = DataReach.Uninformed(spec);
            foreach (var node in Stored(spec, NodeRole.Latent).Where(n => !uninformed.Contains(n.Name)))
            {
                using (w.Block($"case {EmitHelpers.Literal(node.Name)}:"))
                {
                    w.Line("if (!HasLatentState) return false;");
                    w.Line("var at = 0;");
                    using (Loops(w, node.Indices))
                        w.Line($"destination[at++] = {node.Name}{accessor}({string.Join(", ", node.Indices.Select(i => $"new {i.Plate}({i.Variable})"))});");
                    w.Line("return true;");
                }
            }
        }

        private static void EmitStartingValues(SourceWriter w, ModelSpec spec)
        {
            w.Line("/// <summary>");
            w.Line("/// Starting values from each parameter's constraints (uniform on a simplex, 1 where positive, else 0; never below a");
            w.Line("/// floor), then the author's own where a partial class part implements <see cref=\"OnStartingValues\"/>.");
            w.Line("/// </summary>");
            using (w.Block("public void InitializeParameters()"))
            {
                foreach (var node in Stored(spec, NodeRole.Param))
                {
                    var c = node.Declaration.Constraints;
                    var value = c.Simplex && c.SimplexOver is { } over ? $"1.0 / {CodeExpr.Size(over)}" : c.Positive ? "1.0" : "0.0";
                    if (c.Floor is { } floor) value = $"global::System.Math.Max({value}, {CodeExpr.Number(floor)})";
                    if (node.Indices.Count == 0)
                    {
                        w.Line($"{node.Name}Values = {value};");
                        continue;
                    }
                    w.Line($"{node.Name}Values = new double[{Sizes(node)}];");
                    w.Line($"{Models}.RowMajor.Fill({node.Name}Values, {value});");
                }
                w.Line("OnStartingValues();");
            }
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// The author's starting values, called after the defaults and with the data bound: implement it in a partial part of");
            w.Line("/// the class outside the declaration (a model file holds the declaration only).");
            w.Line("/// </summary>");
            w.Line("partial void OnStartingValues();");
            w.Line();
        }

        /// <summary>
        /// Deterministic nodes (Stan's transformed parameters) at given latent values: each real-valued one whose body
        /// reads only parameters, data and latents, so a fit can summarise it over the latents' draws.
        /// </summary>
        private static void EmitEvaluate(SourceWriter w, ModelSpec spec)
        {
            var evaluable = spec.Nodes
                .Where(n => n.Role == NodeRole.Deterministic && n.Kind == ValueKind.Real && n.Declaration.Body is not null)
                .Select(n => (Node: n, Body: ExprTools.Inline(n.Declaration.Body!, spec)))
                .Where(n => ExprTools.Calls(n.Body).All(c => ExprTools.Find(spec, c.Node) is { Role: NodeRole.Param or NodeRole.Data or NodeRole.Latent }))
                .ToList();
            w.Line("/// <summary>A deterministic node's values, row-major, at the latents' values given by name (and the stored parameters and data).</summary>");
            using (w.Block("public bool TryEvaluate(string node, global::System.Collections.Generic.IReadOnlyDictionary<string, double[]> latents, global::System.Span<double> destination)"))
            {
                if (evaluable.Count > 0)
                {
                    using (w.Block("switch (node)"))
                        foreach (var (node, body) in evaluable) EmitEvaluateCase(w, spec, node, body);
                }
                w.Line("return false;");
            }
            w.Line();
        }

        private static void EmitEvaluateCase(SourceWriter w, ModelSpec spec, NodeSpec node, Expr body)
        {
            using (w.Block($"case {EmitHelpers.Literal(node.Name)}:"))
            {
                w.Line($"// {node.Name}({string.Join(", ", node.Indices.Select(i => i.Variable))}) = {ExprPrinter.Print(node.Declaration.Body!)}");
                foreach (var latent in ExprTools.Calls(body).Select(c => ExprTools.Find(spec, c.Node)!).Where(n => n.Role == NodeRole.Latent).Distinct())
                    w.Line($"var {SimulationEmitter.Drawn(latent)} = latents[{EmitHelpers.Literal(latent.Name)}];");
                w.Line("var at = 0;");
                using (Loops(w, node.Indices))
                    w.Line($"destination[at++] = {SimulationEmitter.Code(spec, node.Indices.Select(i => i.Variable)).Of(body)};");
                w.Line("return true;");
            }
        }

        /// <summary>Nested loops over indices, each variable named as the declaration names it.</summary>
        public static System.IDisposable Loops(SourceWriter w, IEnumerable<IndexDecl> indices)
        {
            var scopes = indices.Select(i => w.Block($"for (var {i.Variable} = 0; {i.Variable} < {CodeExpr.Size(i.Plate)}; {i.Variable}++)")).ToList();
            return SourceWriter.Nested(scopes);
        }
    }
}
