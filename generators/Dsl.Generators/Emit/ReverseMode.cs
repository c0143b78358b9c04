using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Prints an expression's value and its reverse-mode derivative as straight-line C#: sums become loops into locals
    /// (no closures in a sampler's inner loop), and an adjoint ā flows from an expression to the latent entries it
    /// reads, by the chain rule of each operator (ā·b into a and ā·a into b for a·b; ā·f'(u) into u for f(u); the
    /// same ā into every term of a sum). Latent entries are read from <c>{node}Value</c>, parameters from their storage,
    /// and the adjoints of both added to <c>{node}Gradient</c>; observed entries are read from <c>{node}Observed</c>;
    /// deterministic nodes are inlined.
    /// </summary>
    internal sealed class ReverseMode
    {
        private readonly SourceWriter w;
        private readonly ModelSpec spec;
        private readonly Lowering.MatrixProducts? products;
        private int counter;

        /// <param name="products">matrix products held in nodes of their own (read and differentiated as latents); null to loop over every sum</param>
        public ReverseMode(SourceWriter w, ModelSpec spec, Lowering.MatrixProducts? products = null)
        {
            this.w = w;
            this.spec = products?.Spec ?? spec;
            this.products = products;
        }

        /// <summary>
        /// Nodes whose buffer holds only a block of their rows: the C# subtracted from an entry's row-major position
        /// (a row-blocked matrix product's first entry in the block).
        /// </summary>
        public Dictionary<string, string> BlockOffsets { get; } = new();

        private string Shifted(NodeSpec node, string position) => BlockOffsets.TryGetValue(node.Name, out var offset) ? $"{position} - {offset}" : position;

        /// <summary>Deterministic nodes inlined, then the matrix products lowered to reads of their nodes.</summary>
        private Expr Prepare(Expr expr) => products?.Rewrite(expr) ?? ExprTools.Inline(expr, spec);

        /// <summary>The index variables in scope and the sums already held in locals there.</summary>
        public sealed class Scope
        {
            public Dictionary<string, string> Variables { get; } = new();
            public Dictionary<string, string> Hoisted { get; } = new();

            public Scope(IEnumerable<string> variables)
            {
                foreach (var v in variables) Variables[v] = v;
            }

            /// <summary>A branch's scope: the same indices and enclosing sums, and sums hoisted inside it kept to it.</summary>
            public Scope Branch()
            {
                var branch = new Scope(Variables.Keys);
                foreach (var pair in Hoisted) branch.Hoisted[pair.Key] = pair.Value;
                return branch;
            }

            /// <summary>A loop body's scope: one more index, and the enclosing sums still visible.</summary>
            public Scope Inner(string variable)
            {
                var inner = new Scope(Variables.Keys.Append(variable));
                foreach (var pair in Hoisted) inner.Hoisted[pair.Key] = pair.Value;
                return inner;
            }
        }

        public static string Value(NodeSpec node) => $"{node.Name}Value";

        public static string Gradient(NodeSpec node) => $"{node.Name}Gradient";

        public static string Observed(NodeSpec node) => $"{node.Name}Observed";

        /// <summary>The C# of an expression's value in a scope, after emitting a loop for each sum it holds.</summary>
        public string Of(Expr expr, Scope scope)
        {
            var inlined = Prepare(expr);
            foreach (var sum in OuterSums(inlined)) Hoist(sum, scope);
            return Code(scope).Of(inlined);
        }

        /// <summary>The row-major position of a node's element at its own index variables.</summary>
        public static string Position(NodeSpec node) =>
            CodeExpr.RowMajor(node.Indices.Select(i => i.Variable).ToList(), node.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList());

        /// <summary>A new local holding an expression, so later lines read a name rather than repeat the text.</summary>
        public string Local(string prefix, string value)
        {
            var name = Name(prefix);
            w.Line($"var {name} = {value};");
            return name;
        }

        /// <summary>A fresh local name (every generated local starts with "ld", which no index variable of a declaration needs).</summary>
        public string Name(string prefix) => $"ld{prefix}{++counter}";

        /// <summary>Emits the statements that add <paramref name="adjoint"/>·∂expr/∂x into the gradient of every latent or parameter entry x the expression reads.</summary>
        public void Accumulate(Expr expr, string adjoint, Scope scope)
        {
            var e = Prepare(expr);
            if (!MentionsUnknown(e)) return;
            switch (e)
            {
                case NodeCallExpr call:
                    var target = ExprTools.Find(spec, call.Node)!;
                    w.Line($"{Gradient(target)}[{Shifted(target, Code(scope).FlatIndex(call))}] += {adjoint};");
                    break;
                case NegateExpr negate:
                    Accumulate(negate.Operand, Local("Adj", $"-{adjoint}"), scope);
                    break;
                case BinaryExpr { Operator: '+' } plus:
                    Accumulate(plus.Left, adjoint, scope);
                    Accumulate(plus.Right, adjoint, scope);
                    break;
                case BinaryExpr { Operator: '-' } minus:
                    Accumulate(minus.Left, adjoint, scope);
                    if (MentionsUnknown(minus.Right)) Accumulate(minus.Right, Local("Adj", $"-{adjoint}"), scope);
                    break;
                case BinaryExpr { Operator: '*' } times:
                    if (MentionsUnknown(times.Left)) Accumulate(times.Left, Local("Adj", CodeFolding.Times(adjoint, Of(times.Right, scope))), scope);
                    if (MentionsUnknown(times.Right)) Accumulate(times.Right, Local("Adj", CodeFolding.Times(adjoint, Of(times.Left, scope))), scope);
                    break;
                case BinaryExpr { Operator: '/' } divide:
                    // (a/b)' = a'/b − a·b'/b²
                    var denominator = Local("Den", Of(divide.Right, scope));
                    if (MentionsUnknown(divide.Left)) Accumulate(divide.Left, Local("Adj", $"{adjoint} / {denominator}"), scope);
                    if (MentionsUnknown(divide.Right))
                        Accumulate(divide.Right, Local("Adj", $"{CodeFolding.Times($"-{adjoint}", Of(divide.Left, scope))} / ({denominator} * {denominator})"), scope);
                    break;
                case FunctionExpr function:
                    Accumulate(function.Arguments[0], Local("Adj", CodeFolding.Times(adjoint, Of(Differentiation.Outer(function), scope))), scope);
                    break;
                case SumExpr sum when RowProduct(Unshadowed(sum, scope), scope) is { } rows:
                    // ā·b into a's row and ā·a into b's, each one vectorised pass.
                    if (rows.LeftGradient is { } leftGradient) w.Line($"{Runtime}.Rows.AddScaled({rows.Right}, {adjoint}, {leftGradient});");
                    if (rows.RightGradient is { } rightGradient) w.Line($"{Runtime}.Rows.AddScaled({rows.Left}, {adjoint}, {rightGradient});");
                    break;
                case SumExpr sum:
                    var loop = Unshadowed(sum, scope);
                    using (w.Block($"for (var {loop.Over.Variable} = 0; {loop.Over.Variable} < {CodeExpr.Size(loop.Over.Plate)}; {loop.Over.Variable}++)"))
                        Accumulate(loop.Over.Body, adjoint, scope.Inner(loop.Over.Variable));
                    break;
                default:
                    throw new System.InvalidOperationException($"no derivative of '{ExprPrinter.Print(e)}'");
            }
        }

        /// <summary>Whether the expression reads a latent or a parameter: what gradients flow to.</summary>
        private bool MentionsUnknown(Expr e) => ExprTools.Mentions(ExprTools.Inline(e, spec), spec, NodeRole.Latent, NodeRole.Param);

        private CodeExpr Code(Scope scope) =>
            new(spec, scope.Variables, scope.Hoisted, (node, position) => node.Role == NodeRole.Latent ? $"{Value(node)}[{Shifted(node, position)}]"
                : node.Kind == ValueKind.Index ? $"((int){Observed(node)}[{position}])" : $"{Observed(node)}[{position}]");

        /// <summary>Σ_v body as a loop into a local, inner sums hoisted inside it; the local stands for the sum's text from then on.</summary>
        private void Hoist(SumExpr sum, Scope scope)
        {
            if (sum.CountsEntries) return; // Size<N>() is printed as the plate's size, not looped over
            // CodeExpr prints a sum already held in a local as that local's name.
            var text = Code(scope).Of(sum);
            if (scope.Hoisted.ContainsKey(text) || scope.Hoisted.ContainsValue(text)) return;
            var loop = Unshadowed(sum, scope);
            if (RowProduct(loop, scope) is { } rows)
            {
                scope.Hoisted[text] = Local("Sum", $"{Runtime}.Rows.Dot({rows.Left}, {rows.Right})");
                return;
            }
            var local = Local("Sum", "0.0");
            var variable = loop.Over.Variable;
            using (w.Block($"for (var {variable} = 0; {variable} < {CodeExpr.Size(loop.Over.Plate)}; {variable}++)"))
                w.Line($"{local} += {Of(loop.Over.Body, scope.Inner(variable))};");
            scope.Hoisted[text] = local;
        }

        private const string Runtime = "global::Dsl.Runtime.Hmc";

        /// <summary>The C# of a product's two rows as read-only spans, and of the gradient rows of those that are unknowns (null for data).</summary>
        private sealed record Rows(string Left, string Right, string? LeftGradient, string? RightGradient);

        /// <summary>
        /// Σ_k a(…, k)·b(…, k) where k is the last index of both factors and no other index reads it, so each factor is
        /// a contiguous row of its node's row-major storage: a latent's or parameter's values, or a real data matrix
        /// (up to three plates). Anything else, or a node held a block of rows at a time, is looped over as written.
        /// </summary>
        private Rows? RowProduct(SumExpr sum, Scope scope)
        {
            if (sum.Over.Body is not BinaryExpr { Operator: '*', Left: NodeCallExpr left, Right: NodeCallExpr right }) return null;
            var variable = sum.Over.Variable;
            var (leftRow, rightRow) = (Row(left, variable, scope), Row(right, variable, scope));
            if (leftRow is null || rightRow is null) return null;
            return new Rows(leftRow.Value.Values, rightRow.Value.Values, leftRow.Value.Gradient, rightRow.Value.Gradient);
        }

        /// <summary>A node read whose last index is the summed variable, as a span of its row (and its gradient row where it is an unknown).</summary>
        private (string Values, string? Gradient)? Row(NodeCallExpr call, string variable, Scope scope)
        {
            if (BlockOffsets.ContainsKey(call.Node) || ContiguousRow.Of(spec, call, variable, Code(scope)) is not { } row) return null;
            var node = row.Node;
            var gradient = node.Role is NodeRole.Latent or NodeRole.Param ? row.Slice(Gradient(node), "Span") : null;
            return node.Role switch
            {
                NodeRole.Latent => (row.Slice(Value(node)), gradient),
                NodeRole.Param or NodeRole.Data when row.Stored is { } stored => (stored, gradient),
                _ => null,
            };
        }

        /// <summary>A sum whose variable is already a loop variable in scope (C# forbids the shadowing) over a fresh one instead.</summary>
        private static SumExpr Unshadowed(SumExpr sum, Scope scope) =>
            scope.Variables.ContainsKey(sum.Over.Variable)
                ? ExprTools.Rename(sum, scope.Variables.Keys.Select(v => (Expr)new IndexExpr(v, sum.Location)).Append(sum.Over.Body).ToList())
                : sum;

        private static IEnumerable<SumExpr> OuterSums(Expr expr) => expr switch
        {
            SumExpr sum => new[] { sum },
            FunctionExpr f => f.Arguments.SelectMany(OuterSums),
            BinaryExpr b => OuterSums(b.Left).Concat(OuterSums(b.Right)),
            NegateExpr n => OuterSums(n.Operand),
            NodeCallExpr call => call.Indices.SelectMany(OuterSums),
            _ => Enumerable.Empty<SumExpr>(),
        };
    }
}
