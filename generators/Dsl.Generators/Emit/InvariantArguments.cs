using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The arguments of an observation's (or a latent's) distribution that no entry changes: those that read none of
    /// the node's own index variables (a regression's residual sd, a shared dispersion). Each is computed once before
    /// the entry loops; the entries add their partials in it to one local, which reverse mode sends back once after the
    /// loops (by linearity, Σ_n ā_n·∂a = (Σ_n ā_n)·∂a). A Normal whose sd is such an argument (or a log-normal
    /// observation's, read as a Normal of its logs) also gets its reciprocal and logarithm once, for
    /// <c>LogDensity.NormalAtScale</c>.
    /// </summary>
    internal sealed class InvariantArguments
    {
        private readonly IReadOnlyList<Expr> arguments;
        private readonly string?[] values;
        private readonly string?[] adjoints;

        private InvariantArguments(IReadOnlyList<Expr> arguments, string?[] values, string?[] adjoints, (string Suffix, IReadOnlyList<string> Extra)? kernel)
        {
            (this.arguments, this.values, this.adjoints, Kernel) = (arguments, values, adjoints, kernel);
        }

        /// <summary>The suffix of a kernel taking the hoisted pieces after the arguments (NormalAtScale), and those pieces.</summary>
        public (string Suffix, IReadOnlyList<string> Extra)? Kernel { get; }

        public bool IsHoisted(int argument) => values[argument] is not null;

        /// <summary>The local holding the argument's value, or null where it is computed per entry.</summary>
        public string? ValueOf(int argument) => values[argument];

        /// <summary>The local summing the entries' partials in the argument, or null where none is kept (per entry, or nothing unknown to send them to).</summary>
        public string? AdjointOf(int argument) => adjoints[argument];

        /// <summary>Every argument computed per entry.</summary>
        public static InvariantArguments None(IReadOnlyList<Expr> arguments) =>
            new(arguments, new string?[arguments.Count], new string?[arguments.Count], null);

        /// <summary>Emits the invariant arguments' locals (and their adjoint sums) before the loops over the node's entries.</summary>
        public static InvariantArguments Hoist(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec node, IReadOnlyList<Expr> arguments)
        {
            var variables = node.Indices.Select(i => i.Variable).ToList();
            var outer = new ReverseMode.Scope(Enumerable.Empty<string>());
            var values = new string?[arguments.Count];
            var adjoints = new string?[arguments.Count];
            if (variables.Count == 0) return None(arguments);
            for (var a = 0; a < arguments.Count; a++)
            {
                var inlined = ExprTools.Inline(arguments[a], spec);
                if (variables.Any(v => ExprTools.UsesIndex(inlined, v))) continue;
                // A constant is its own literal; anything else is computed into a local once.
                values[a] = inlined is ConstantExpr ? reverse.Of(inlined, outer) : reverse.Local("Shared", reverse.Of(arguments[a], outer));
                if (ExprTools.Mentions(inlined, spec, NodeRole.Latent, NodeRole.Param)) adjoints[a] = reverse.Local("SharedAdj", "0.0");
            }
            (string, IReadOnlyList<string>)? kernel = null;
            var distribution = node.Declaration.Distribution!;
            if (distribution.Name is "Normal" or "LogNormal" && values[1] is { } sd)
                kernel = ("AtScale", new[] { reverse.Local("InverseSd", $"1.0 / {sd}"), reverse.Local("LogSd", $"global::System.Math.Log({sd})") });
            return new InvariantArguments(arguments, values, adjoints, kernel);
        }

        /// <summary>After the loops: each hoisted argument's summed partial sent back through it (times the minibatch scale).</summary>
        public void Accumulate(ReverseMode reverse, string? scale)
        {
            var outer = new ReverseMode.Scope(Enumerable.Empty<string>());
            for (var a = 0; a < arguments.Count; a++)
                if (adjoints[a] is { } total) reverse.Accumulate(arguments[a], scale is null ? total : $"{scale} * {total}", outer);
        }
    }
}
