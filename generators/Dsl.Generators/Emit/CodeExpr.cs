using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Translates IR expressions into C# over the generated storage: parameters and data read their
    /// <c>{Name}Values</c> arrays, plate indices become loop variables, deterministic nodes are inlined.
    /// Latent and observed nodes are read only where a rule has put them in local variables, so they are refused here.
    /// </summary>
    internal sealed class CodeExpr
    {
        private const string Special = "global::Dsl.Runtime.Special.SpecialFunctions";
        private readonly ModelSpec spec;
        private readonly IReadOnlyDictionary<string, string> variables;
        private readonly IReadOnlyDictionary<string, string> hoisted;
        private readonly Func<NodeSpec, string, string?>? drawn;

        /// <param name="hoisted">array reads and sums already held in locals, by their C# text: the local is printed instead</param>
        /// <param name="drawn">where latent, observed and network values are held (simulation, a Gibbs block's current draws): the C# read of a node's element at a row-major position, or null to read it as stored</param>
        public CodeExpr(ModelSpec spec, IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string>? hoisted = null,
            Func<NodeSpec, string, string?>? drawn = null)
        {
            this.spec = spec;
            this.variables = variables;
            this.hoisted = hoisted ?? new Dictionary<string, string>();
            this.drawn = drawn;
        }

        public string Of(Expr expr) => ExprTools.Inline(expr, spec) switch
        {
            ConstantExpr c => Number(c.Value),
            IndexExpr i => Variable(i.Name),
            IndexValueExpr v => Variable(v.Name),
            PlateEntryExpr e => $"(int){Of(e.Position)}",
            PlateConstantExpr entry => entry.Value.ToString(CultureInfo.InvariantCulture),
            NodeCallExpr call => Access(call),
            FunctionExpr f => Function(f.Function, Of(f.Arguments[0])),
            BinaryExpr b => $"({Of(b.Left)} {b.Operator} {Of(b.Right)})",
            NegateExpr n => $"(-{Of(n.Operand)})",
            SumExpr { CountsEntries: true } size => $"((double){Size(size.Over.Plate)})",
            SumExpr sum => Sum(sum.Over) is var text && hoisted.TryGetValue(text, out var local) ? local : text,
            var other => throw new InvalidOperationException($"no C# form for '{ExprPrinter.Print(other)}' here"),
        };

        /// <summary>The square of a standard deviation; Sqrt(v) gives v itself rather than squaring a square root.</summary>
        public string Variance(Expr sd) => ExprTools.Inline(sd, spec) switch
        {
            FunctionExpr { Function: "Sqrt" } root => Of(root.Arguments[0]),
            ConstantExpr constant => Number(constant.Value * constant.Value),
            _ => $"global::System.Math.Pow({Of(sd)}, 2)",
        };

        /// <summary>The array element a parameter, data or observed node call reads.</summary>
        public string Access(NodeCallExpr call)
        {
            var node = ExprTools.Find(spec, call.Node)!;
            if (drawn is not null && node.Role is NodeRole.Latent or NodeRole.Observed or NodeRole.Network
                && drawn(node, RowMajor(call.Indices.Select(Of).ToList(), node.Indices.Select(i => Size(i.Plate)).ToList())) is { } value)
                return value;
            if (node.Role is NodeRole.Latent or NodeRole.Deterministic or NodeRole.Network)
                throw new InvalidOperationException($"'{call.Node}' has no stored value to read here");
            // A count matrix is read by (row, column): a binary search in its sparse row (the allocation rules copy theirs replicate-major once).
            var access = StorageForms.IsCountMatrix(node) ? $"{StorageForms.Counts(node)}![{string.Join(", ", call.Indices.Select(Of))}]"
                : call.Indices.Count == 0 ? $"{call.Node}Values" : $"{call.Node}Values[{string.Join(", ", call.Indices.Select(Of))}]";
            return hoisted.TryGetValue(access, out var local) ? local : access;
        }

        /// <summary>The row-major position of a call's element in its node's flat array (for parameter maps).</summary>
        public string FlatIndex(NodeCallExpr call)
        {
            var node = ExprTools.Find(spec, call.Node)!;
            return RowMajor(call.Indices.Select(Of).ToList(), node.Indices.Select(i => Size(i.Plate)).ToList());
        }

        /// <summary>The row-major position of an element from its index expressions and the plate sizes ("0" for a scalar).</summary>
        public static string RowMajor(IReadOnlyList<string> indices, IReadOnlyList<string> sizes)
        {
            if (indices.Count == 0) return "0";
            var index = indices[0];
            for (var n = 1; n < indices.Count; n++) index = $"({index}) * {sizes[n]} + {indices[n]}";
            return index;
        }

        public static string Size(string plate) => plate + "Count";

        public static string Number(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") || text.Contains("N") || text.Contains("∞") ? text : text + ".0";
        }

        /// <summary>
        /// A sum over a plate as a call of the runtime's summing loop with the body as a lambda (allocates a closure:
        /// for simulation, which runs once, not for inference's inner loops).
        /// </summary>
        private string Sum(LambdaExpr over)
        {
            var local = "sum_" + over.Variable;
            var inner = new Dictionary<string, string>(variables.ToDictionary(p => p.Key, p => p.Value)) { [over.Variable] = local };
            var body = new CodeExpr(spec, inner, hoisted, drawn).Of(over.Body);
            return $"global::Dsl.Runtime.Models.Simulation.Sum({Size(over.Plate)}, {local} => {body})";
        }

        private string Variable(string name) =>
            variables.TryGetValue(name, out var code) ? code : throw new InvalidOperationException($"index '{name}' is not bound here");

        private static string Function(string name, string argument) => name switch
        {
            "Exp" => $"global::System.Math.Exp({argument})",
            "Log" => $"global::System.Math.Log({argument})",
            "Sqrt" => $"global::System.Math.Sqrt({argument})",
            "Phi" => $"{Special}.NormalCdf({argument})",
            "LogPhi" => $"{Special}.LogNormalCdf({argument})",
            _ => $"{Special}.{name}({argument})",
        };
    }
}
