using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The generated <c>Simulate</c>: ancestral sampling of every latent and observed node in the declaration's
    /// dependency order, each node's entries drawn from its own random stream (seed, node ordinal) so adding a node
    /// does not change the draws of those before it. Parameters and data are read from storage; deterministic nodes
    /// are inlined. A model with a network has no weights to simulate from, and says so.
    /// </summary>
    internal static class SimulationEmitter
    {
        private const string Models = "global::Dsl.Runtime.Models";
        private const string Draw = Models + ".Draw";

        /// <param name="variational">the VI plan (one part per cell plate), whose networks (at their random initial weights) a simulation runs</param>
        public static void Emit(SourceWriter w, ModelSpec spec, JointVariationalPlan? variational)
        {
            w.Line("/// <summary>Ancestral sampling of every latent and observed node from the declaration, at the stored data and parameters.</summary>");
            using (w.Block($"public global::System.Collections.Generic.IReadOnlyDictionary<string, double[]> Simulate(ulong seed, {Models}.SimulationSettings settings)"))
            {
                var network = spec.Nodes.FirstOrDefault(n => n.Role == NodeRole.Network);
                var decodable = variational is not null && variational.Parts.SelectMany(p => p.Networks).All(n => n.Inputs.All(i => i.Kind != InputKind.Observed));
                if (network is not null && !decodable)
                {
                    w.Line($"throw new global::System.NotSupportedException(\"{spec.ClassName} cannot be simulated: network node '{network.Name}' (line {network.Declaration.Location.Line}) has no variational plan to draw its weights from, or reads observed counts\");");
                    return;
                }
                EmitHelpers.FixedEntryChecks(w, spec);
                w.Line("var simDraws = new global::System.Collections.Generic.Dictionary<string, double[]>();");
                var ordinal = 0;
                // Latents first, then the networks at them (random initial weights), then the latents that read a
                // network's output (a Gamma rate around a decoded mean), then what is observed.
                var decoded = Decoded(spec);
                foreach (var node in spec.Nodes.Where(n => n.Role == NodeRole.Latent && !decoded.Contains(n.Name))) EmitNode(w, spec, node, ++ordinal);
                if (network is not null) EmitNetworks(w, spec, variational!);
                foreach (var node in spec.Nodes.Where(n => n.Role == NodeRole.Latent && decoded.Contains(n.Name))) EmitNode(w, spec, node, ++ordinal);
                foreach (var node in spec.Nodes.Where(n => n.Role == NodeRole.Observed)) EmitNode(w, spec, node, ++ordinal);
                w.Line("return simDraws;");
            }
            w.Line();
        }

        /// <summary>The latents that read a network's output, directly or through other nodes (in dependency order, as the spec is).</summary>
        private static HashSet<string> Decoded(ModelSpec spec)
        {
            var decoded = new HashSet<string>();
            foreach (var node in spec.Nodes)
                if (node.Role != NodeRole.Network && node.Parents.Any(p => decoded.Contains(p) || ExprTools.Find(spec, p)?.Role == NodeRole.Network))
                    decoded.Add(node.Name);
            return new HashSet<string>(decoded.Where(n => ExprTools.Find(spec, n)!.Role == NodeRole.Latent));
        }

        private static void EmitNode(SourceWriter w, ModelSpec spec, NodeSpec node, int ordinal)
        {
            var length = node.Indices.Count == 0 ? "1" : string.Join(" * ", node.Indices.Select(i => CodeExpr.Size(i.Plate)));
            w.Line($"// {node.Name}{Signature(node)} ~ {ExprPrinter.Print(node.Declaration.Distribution!)} (line {node.Declaration.Location.Line})");
            w.Line($"var {Drawn(node)} = new double[{length}];");
            w.Line($"simDraws[{EmitHelpers.Literal(node.Name)}] = {Drawn(node)};");
            if (node.Role == NodeRole.Latent)
                w.Line($"if (settings.Fixed.TryGetValue({EmitHelpers.Literal(node.Name)}, out var {node.Name}Given)) global::System.Array.Copy({node.Name}Given, {Drawn(node)}, {Drawn(node)}.Length); // held, not drawn");
            if (node.Role == NodeRole.Latent) w.Line("else");
            using (w.Braces())
            {
                w.Line($"var simRandom = new global::Dsl.Runtime.Random.RandomStream(seed, {ordinal});");
                if (node.Declaration.Distribution!.Over is { } over) EmitVector(w, spec, node, over);
                else EmitScalar(w, spec, node);
            }
        }

        /// <summary>
        /// Every network's output for every element, from a variational family whose weights are its seeded initial ones
        /// (for a model over several cell plates, the joint family's parts, so networks sharing weights share them here too).
        /// </summary>
        private static void EmitNetworks(SourceWriter w, ModelSpec spec, JointVariationalPlan joint)
        {
            w.Line("// The networks at random weights (the variational family's seeded initialisation), at the latents drawn above.");
            foreach (var network in joint.Parts.SelectMany(p => p.Networks))
            {
                var node = ExprTools.Find(spec, network.Node)!;
                w.Line($"var {Drawn(node)} = new double[{string.Join(" * ", node.Indices.Select(i => CodeExpr.Size(i.Plate)))}];");
            }
            using (w.Braces())
            {
                // The family checks its count inputs' shapes; none exist before they are simulated, so it sees zeros meanwhile.
                var counts = spec.Nodes.Where(StorageForms.IsCountMatrix).ToList();
                foreach (var observed in counts)
                    w.Line($"var {observed.Name}Given = {StorageForms.Counts(observed)}; {StorageForms.Counts(observed)} ??= global::Dsl.Runtime.Models.RowMajor.EmptyCounts({CodeExpr.Size(observed.Indices[0].Plate)}, {CodeExpr.Size(observed.Indices[1].Plate)});");
                var dense = spec.Nodes.Where(n => n.Role == NodeRole.Observed && n.Indices.Count > 0 && !StorageForms.IsCountMatrix(n)).ToList();
                foreach (var observed in dense)
                    w.Line($"var {observed.Name}Given = {observed.Name}Values; {observed.Name}Values = new {(observed.Kind == ValueKind.Real ? "double" : "int")}[{string.Join(", ", observed.Indices.Select(i => CodeExpr.Size(i.Plate)))}];");
                w.Line(joint.Parts.Count == 1 ? "var simFamily = new Variational<double>(this, seed);" : "var simJoint = CreateJointVariational<double>(seed);");
                w.Line($"var simLatents = new global::System.Collections.Generic.Dictionary<string, double[]> {{ {string.Join(", ", joint.Parts.SelectMany(p => p.Latents).Select(l => $"[{EmitHelpers.Literal(l.Node)}] = {l.Node}Drawn"))} }};");
                if (joint.Parts.Count == 1) EmitDecodeLoop(w, spec, joint.Parts[0], "simFamily");
                for (var k = 0; k < joint.Parts.Count && joint.Parts.Count > 1; k++)
                {
                    w.Line($"var simPart{k} = ({joint.Parts[k].ClassName}<double>)simJoint.Parts[{k}];");
                    EmitDecodeLoop(w, spec, joint.Parts[k], $"simPart{k}");
                }
                foreach (var observed in counts) w.Line($"{StorageForms.Counts(observed)} = {observed.Name}Given;");
                foreach (var observed in dense) w.Line($"{observed.Name}Values = {observed.Name}Given;");
            }
        }

        /// <summary>One family's (or part's) networks decoded over its element plate, 256 elements at a time, into the draws.</summary>
        private static void EmitDecodeLoop(SourceWriter w, ModelSpec spec, VariationalPlan plan, string family)
        {
            var elements = CodeExpr.Size(plan.BatchPlate);
            using (w.Block($"for (var simStart = 0; simStart < {elements}; simStart += 256)"))
            {
                w.Line($"var simRows = global::System.Math.Min(256, {elements} - simStart);");
                w.Line("var simElements = new int[simRows];");
                w.Line("for (var row = 0; row < simRows; row++) simElements[row] = simStart + row;");
                w.Line($"{family}.Decode(simElements, simLatents);");
                foreach (var network in plan.Networks)
                {
                    var node = ExprTools.Find(spec, network.Node)!;
                    var width = CodeExpr.Size(network.ItemPlate);
                    var elementFirst = node.Indices[0].Plate == plan.BatchPlate;
                    w.Line($"var {node.Name}Output = {family}.{node.Name}Output;");
                    using (w.Block("for (var row = 0; row < simRows; row++)"))
                    using (w.Block($"for (var k = 0; k < {width}; k++)"))
                        w.Line($"{Drawn(node)}[{(elementFirst ? $"(simStart + row) * {width} + k" : $"k * {elements} + simStart + row")}] = {node.Name}Output[row * {width} + k];");
                }
            }
        }

        private static string Signature(NodeSpec node) => $"({string.Join(", ", node.Indices.Select(i => i.Variable))})";

        /// <summary>The local array holding a latent or observed node's values, row-major.</summary>
        public static string Drawn(NodeSpec node) => $"{node.Name}Drawn";

        private static string Position(NodeSpec node) =>
            CodeExpr.RowMajor(node.Indices.Select(i => i.Variable).ToList(), node.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList());

        /// <summary>Expressions over the loop variables, latent and observed nodes read from the draws made before.</summary>
        public static CodeExpr Code(ModelSpec spec, IEnumerable<string> variables, IReadOnlyDictionary<string, string>? hoisted = null) =>
            new(spec, variables.ToDictionary(v => v, v => v), hoisted,
                (node, position) => node.Kind == ValueKind.Index ? $"((int){Drawn(node)}[{position}])" : $"{Drawn(node)}[{position}]");

        private static void EmitScalar(SourceWriter w, ModelSpec spec, NodeSpec node)
        {
            var distribution = node.Declaration.Distribution!;
            if (distribution.Name == "Categorical") w.Line($"var simWeights = new double[{CodeExpr.Size(((LambdaExpr)distribution.Arguments[0].Value).Plate)}];");
            using (BindingEmitter.Loops(w, node.Indices))
            {
                var code = Code(spec, node.Indices.Select(i => i.Variable));
                if (distribution.Name == "Categorical")
                {
                    var argument = distribution.Arguments[0];
                    var lambda = (LambdaExpr)argument.Value;
                    var inner = Code(spec, node.Indices.Select(i => i.Variable).Append(lambda.Variable));
                    using (w.Block($"for (var {lambda.Variable} = 0; {lambda.Variable} < {CodeExpr.Size(lambda.Plate)}; {lambda.Variable}++)"))
                        w.Line($"simWeights[{lambda.Variable}] = {inner.Of(ExprTools.Inline(lambda.Body, spec))};");
                    w.Line($"{Drawn(node)}[{Position(node)}] = {Draw}.{(argument.Name == "logit" ? "CategoricalLogit" : "Categorical")}(\"{node.Name}\", simWeights, ref simRandom);");
                    return;
                }
                var (method, given) = SamplingEmitter.Kernel(node);
                var arguments = given.Select(p => code.Of(ExprTools.Inline(distribution.Arguments.First(a => a.Name == p.Name).Value, spec)));
                // An improper prior is drawn only as a chain's start (Stan's initialisation), never for data.
                var improper = method is "Flat" or "HalfFlat" ? new[] { "settings.ImproperAsStarts" } : new string[0];
                w.Line($"{Drawn(node)}[{Position(node)}] = {Draw}.{method}({string.Join(", ", new[] { EmitHelpers.Literal(node.Name) }.Concat(improper).Concat(arguments))}, ref simRandom);");
            }
            if (node.Declaration.Constraints.Ordered)
            {
                var last = CodeExpr.Size(node.Indices[node.Indices.Count - 1].Plate);
                w.Line($"// [Ordered]: each row along {node.Indices[node.Indices.Count - 1].Plate} sorted.");
                w.Line($"for (var simStart = 0; simStart < {Drawn(node)}.Length; simStart += {last}) {Draw}.Ordered(global::System.MemoryExtensions.AsSpan({Drawn(node)}, simStart, {last}));");
            }
        }

        /// <summary>The outermost sums of an expression.</summary>
        public static IEnumerable<SumExpr> Sums(Expr expr) => expr switch
        {
            SumExpr sum => new[] { sum },
            FunctionExpr f => f.Arguments.SelectMany(Sums),
            BinaryExpr b => Sums(b.Left).Concat(Sums(b.Right)),
            NegateExpr n => Sums(n.Operand),
            _ => Enumerable.Empty<SumExpr>(),
        };

        /// <summary>A Dirichlet or multinomial over one of the node's plates: the argument as a vector, one draw per other index.</summary>
        private static void EmitVector(SourceWriter w, ModelSpec spec, NodeSpec node, string over)
        {
            var distribution = node.Declaration.Distribution!;
            var overIndex = node.Indices.First(i => i.Variable == over);
            var size = CodeExpr.Size(overIndex.Plate);
            var code = Code(spec, node.Indices.Select(i => i.Variable));
            var argument = ExprTools.Inline(distribution.Arguments[0].Value, spec);
            w.Line($"var simVector = new double[{size}];");
            w.Line($"var simRow = new double[{size}];");
            using (BindingEmitter.Loops(w, node.Indices.Where(i => i.Variable != over)))
            {
                // A sum the vector's index does not enter (a normaliser) is the same for every entry: computed once.
                var hoisted = new System.Collections.Generic.Dictionary<string, string>();
                foreach (var sum in Sums(argument).Where(sum => !ExprTools.UsesIndex(sum, over)))
                {
                    var text = code.Of(sum);
                    if (hoisted.ContainsKey(text)) continue;
                    hoisted[text] = $"simSum{hoisted.Count}";
                    w.Line($"var {hoisted[text]} = {text};");
                }
                var entry = hoisted.Count == 0 ? code : Code(spec, node.Indices.Select(i => i.Variable), hoisted);
                using (w.Block($"for (var {over} = 0; {over} < {size}; {over}++)"))
                    w.Line($"simVector[{over}] = {entry.Of(argument)};");
                w.Line(distribution.Name == "Dirichlet"
                    ? $"{Draw}.Dirichlet(\"{node.Name}\", simVector, simRow, ref simRandom);"
                    : $"{Draw}.Multinomial(\"{node.Name}\", settings.TotalOf(\"{node.Name}\"), simVector, simRow, ref simRandom);");
                using (w.Block($"for (var {over} = 0; {over} < {size}; {over}++)"))
                    w.Line($"{Drawn(node)}[{Position(node)}] = simRow[{over}];");
            }
        }
    }
}
