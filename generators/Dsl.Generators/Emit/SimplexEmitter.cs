using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The sampler's code for vector distributions: the stick-breaking map of a Dirichlet latent onto K − 1 free
    /// coordinates per row (with its log Jacobian and its reverse pass), and a Dirichlet's or a multinomial's log density
    /// row by row, its partials sent back into the row and through its argument's expression. A row is every entry
    /// along the distribution's <c>over</c> index at fixed values of the node's other indices.
    /// </summary>
    internal static class SimplexEmitter
    {
        private const string Special = "global::Dsl.Runtime.Special.SpecialFunctions";

        public static bool IsVector(NodeSpec node) => node.Declaration.Distribution?.Over is not null;

        private static IndexDecl Over(NodeSpec node) => node.Indices.First(i => i.Variable == node.Declaration.Distribution!.Over);

        public static string Size(NodeSpec node, string owner = "") => owner + CodeExpr.Size(Over(node).Plate);

        /// <summary>Free coordinates of a simplex latent: K − 1 per row.</summary>
        public static string FreeLength(NodeSpec node, string length) => $"{length} / {Size(node, "model.")} * ({Size(node, "model.")} - 1)";

        private static string Stick(NodeSpec node) => $"{node.Name}Stick";

        private static string Remaining(NodeSpec node) => $"{node.Name}Remaining";

        /// <summary>Scratch of a vector term (one row, its argument and their partials) and of a simplex's reverse pass.</summary>
        public static void EmitFields(SourceWriter w, NodeSpec node, bool simplexLatent)
        {
            w.Line($"private readonly double[] {node.Name}Row, {node.Name}Argument, {node.Name}DRow, {node.Name}DArgument;");
            if (simplexLatent) w.Line($"private readonly double[] {Stick(node)}, {Remaining(node)};");
        }

        public static void EmitAllocations(SourceWriter w, NodeSpec node, bool simplexLatent, string length)
        {
            var size = Size(node, "model.");
            w.Line($"({node.Name}Row, {node.Name}Argument, {node.Name}DRow, {node.Name}DArgument) = (new double[{size}], new double[{size}], new double[{size}], new double[{size}]);");
            if (simplexLatent) w.Line($"({Stick(node)}, {Remaining(node)}) = (new double[{length}], new double[{length}]);");
        }

        /// <summary>Rows in storage order, the free coordinates counted by <c>ldFree</c> as they are used.</summary>
        private static System.IDisposable Rows(SourceWriter w, NodeSpec node)
        {
            var braces = w.Braces();
            w.Line("var ldFree = 0;");
            var loops = BindingEmitter.Loops(w, node.Indices.Where(i => i.Variable != Over(node).Variable));
            return SourceWriter.Nested([braces, loops]);
        }

        /// <summary>Constrain: x_k = z_k·r_k with r_k the stick left before k; log Jacobian Σ_{k&lt;K−1} log z_k + log(1 − z_k) + log r_k.</summary>
        public static void EmitConstrain(SourceWriter w, NodeSpec node, string offset)
        {
            var (value, k, size) = (ReverseMode.Value(node), Over(node).Variable, Size(node));
            using (Rows(w, node))
            {
                w.Line("var ldRemaining = 1.0;");
                using (w.Block($"for (var {k} = 0; {k} < {size}; {k}++)"))
                {
                    w.Line($"var ldAt = {ReverseMode.Position(node)};");
                    w.Line($"{Remaining(node)}[ldAt] = ldRemaining;");
                    using (w.Block($"if ({k} == {size} - 1)"))
                    {
                        w.Line($"{value}[ldAt] = ldRemaining;");
                        w.Line("break;");
                    }
                    w.Line($"var ldU = position[{offset} + ldFree++] - global::System.Math.Log({size} - {k} - 1);");
                    w.Line($"{Stick(node)}[ldAt] = {Special}.Logistic(ldU);");
                    w.Line($"{value}[ldAt] = ldRemaining * {Stick(node)}[ldAt];");
                    w.Line($"logJacobian += global::System.Math.Log(ldRemaining) - {Special}.Softplus(-ldU) - {Special}.Softplus(ldU);");
                    w.Line($"ldRemaining -= {value}[ldAt];");
                }
            }
        }

        /// <summary>
        /// The reverse pass, from the last entry back: with ā the adjoint of r_{k+1}, z̄_k = (g_k − ā)·r_k and
        /// ā_k = g_k·z_k + ā·(1 − z_k) + 1/r_k; then ∂/∂u_k = z̄_k·z_k(1 − z_k) + 1 − 2z_k (the logit's Jacobian).
        /// </summary>
        public static void EmitChainRule(SourceWriter w, NodeSpec node, string offset)
        {
            var (gradient, k, size) = (ReverseMode.Gradient(node), Over(node).Variable, Size(node));
            using (Rows(w, node))
            {
                w.Line($"var {k} = {size} - 1;");
                w.Line($"var ldTail = {gradient}[{ReverseMode.Position(node)}];");
                using (w.Block($"for ({k} = {size} - 2; {k} >= 0; {k}--)"))
                {
                    w.Line($"var ldAt = {ReverseMode.Position(node)};");
                    w.Line($"var (ldZ, ldR) = ({Stick(node)}[ldAt], {Remaining(node)}[ldAt]);");
                    w.Line($"var ldStick = ({gradient}[ldAt] - ldTail) * ldR;");
                    w.Line($"ldTail = {gradient}[ldAt] * ldZ + ldTail * (1 - ldZ) + 1 / ldR;");
                    w.Line($"gradient[{offset} + ldFree + {k}] = ldStick * ldZ * (1 - ldZ) + 1 - 2 * ldZ;");
                }
                w.Line($"ldFree += {size} - 1;");
            }
        }

        /// <summary>
        /// A vector distribution's log density row by row (a Dirichlet's over its shares, a multinomial's over its
        /// counts); partials into the row (a latent's) and back through the argument's expression at every entry.
        /// </summary>
        /// <summary>A simplex parameter's axis in generated variational code: the C# of the stride between a row's entries and of the row's length.</summary>
        public static (string Stride, string Length) AxisCode(SimplexAxis axis) =>
            (axis.After.Count == 0 ? "1" : string.Join(" * ", axis.After.Select(VariationalNames.Size)), VariationalNames.Size(axis.Plate));

        public static void EmitTerm(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec node)
        {
            var (k, size) = (Over(node).Variable, Size(node));
            var argument = SamplingEmitter.Arguments(spec, node)[0];
            var name = node.Declaration.Distribution!.Name;
            w.Line($"// log p({node.Name}) row by row: {node.Name} ~ {ExprPrinter.Print(node.Declaration.Distribution!)} (line {node.Declaration.Location.Line})");
            using (w.Braces())
            using (BindingEmitter.Loops(w, node.Indices.Where(i => i.Variable != k)))
            {
                var scope = new ReverseMode.Scope(node.Indices.Select(i => i.Variable));
                // A [Simplex] parameter's prior (a MAP estimate) reads the parameter's current row.
                var read = node.Role switch
                {
                    NodeRole.Latent => $"{ReverseMode.Value(node)}[{ReverseMode.Position(node)}]",
                    NodeRole.Param => reverse.Of(ExprTools.OwnCall(node), scope),
                    _ => $"{ReverseMode.Observed(node)}[{ReverseMode.Position(node)}]",
                };
                using (w.Block($"for (var {k} = 0; {k} < {size}; {k}++)"))
                {
                    w.Line($"{node.Name}Row[{k}] = {read};");
                    w.Line($"{node.Name}Argument[{k}] = {reverse.Of(argument, scope)};");
                }
                w.Line($"logDensity += {SamplingEmitter.Hmc}.LogDensity.{name}({node.Name}Row, {node.Name}Argument, {node.Name}DRow, {node.Name}DArgument);");
                using (w.Block($"for (var {k} = 0; {k} < {size}; {k}++)"))
                {
                    if (node.Role is NodeRole.Latent or NodeRole.Param) w.Line($"{ReverseMode.Gradient(node)}[{ReverseMode.Position(node)}] += {node.Name}DRow[{k}];");
                    reverse.Accumulate(argument, $"{node.Name}DArgument[{k}]", scope);
                }
            }
        }
    }
}
