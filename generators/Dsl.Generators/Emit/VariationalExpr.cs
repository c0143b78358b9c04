using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Translates IR expressions into C# over a variational model's minibatch arrays, in the generic number type T.
    /// The expression belongs to one node whose cell variable names the cell of minibatch row <c>row</c>; network
    /// outputs are read at <c>entry</c>, the node's own element of the row-major minibatch arrays, and other index
    /// variables are loop variables of the same name.
    /// </summary>
    internal sealed class VariationalExpr
    {
        private readonly ModelSpec spec;
        private readonly string cellVariable;

        public VariationalExpr(ModelSpec spec, string cellVariable)
        {
            this.spec = spec;
            this.cellVariable = cellVariable;
        }

        /// <summary>The loop variable of a likelihood row's items: a network read at it is read at <c>entry</c>, at any other index by position.</summary>
        public string? ItemVariable { get; init; }

        /// <summary>Names of per-row totals (hoisted Sums), read as the locals of those names.</summary>
        public System.Collections.Generic.IReadOnlyCollection<string> Locals { get; init; } = Array.Empty<string>();

        /// <summary>A value of type T.</summary>
        public string Of(Expr expr) => expr switch
        {
            ConstantExpr { Value: 0 } => "T.Zero",
            ConstantExpr { Value: 1 } => "T.One",
            ConstantExpr c => $"T.CreateTruncating({CodeExpr.Number(c.Value)})",
            NodeCallExpr call => Read(call),
            FunctionExpr f => Function(f.Function, Of(f.Arguments[0])),
            BinaryExpr b => $"({Of(b.Left)} {b.Operator} {Of(b.Right)})",
            NegateExpr n => $"(-{Of(n.Operand)})",
            _ => throw new InvalidOperationException($"no C# form for '{ExprPrinter.Print(expr)}' here"),
        };

        /// <summary>A value as a double (for the runtime's double-precision kernels): a constant as its number.</summary>
        public string Double(Expr expr) => expr is ConstantExpr constant ? CodeExpr.Number(constant.Value) : $"double.CreateTruncating({Of(expr)})";

        /// <summary>The variance of a standard deviation expression; Sqrt(v) gives v itself.</summary>
        public string Variance(Expr sd) => sd switch
        {
            FunctionExpr { Function: "Sqrt" } root => Of(root.Arguments[0]),
            ConstantExpr c => Of(new ConstantExpr(c.Value * c.Value, c.Location)),
            _ => $"{Of(sd)} * {Of(sd)}",
        };

        /// <summary>Where the gradient with respect to one element of a latent, network or parameter accumulates.</summary>
        public string GradientOf(NodeCallExpr call)
        {
            var node = ExprTools.Find(spec, call.Node)!;
            return node.Role switch
            {
                NodeRole.Latent when IsGlobal(node) => $"{Partials(call.Node)}[chunk * {Value(call.Node)}.Length + {FlatIndex(call, node)}]",
                NodeRole.Latent => $"{SampleGradient(call.Node)}[{LatentPosition(call, node)}]",
                NodeRole.Network => $"{OutputGradient(call.Node)}[{NetworkPosition(call, node)}]",
                NodeRole.Param => $"{Partials(call.Node)}[chunk * {Parameter(call.Node)}.Value.Length + {FlatIndex(call, node)}]",
                _ => throw new InvalidOperationException($"'{call.Node}' has no gradient"),
            };
        }

        /// <summary>An integer index expression: a loop variable, a constant or categorical data.</summary>
        public string Index(Expr expr) => expr switch
        {
            IndexExpr i => i.Name,
            ConstantExpr c => ((int)c.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            PlateConstantExpr entry => entry.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            NodeCallExpr call => DataAccess(call),
            _ => throw new InvalidOperationException($"'{ExprPrinter.Print(expr)}' cannot index here"),
        };

        private string Read(NodeCallExpr call)
        {
            if (Locals.Contains(call.Node)) return call.Node;
            var node = ExprTools.Find(spec, call.Node)!;
            return node.Role switch
            {
                NodeRole.Data => $"T.CreateTruncating({DataAccess(call)})",
                NodeRole.Param => $"{Value(call.Node)}[{FlatIndex(call, node)}]",
                NodeRole.Latent when IsGlobal(node) => $"{Value(call.Node)}[{FlatIndex(call, node)}]",
                NodeRole.Latent => $"{Sample(call.Node)}[{LatentPosition(call, node)}]",
                NodeRole.Network => $"{Head(call.Node)}.Output[{NetworkPosition(call, node)}]",
                _ => throw new InvalidOperationException($"'{call.Node}' cannot be read here"),
            };
        }

        private string LatentPosition(NodeCallExpr call, NodeSpec node)
        {
            if (call.Indices[0] is not IndexExpr { } cell || cell.Name != cellVariable)
                throw new InvalidOperationException($"'{ExprPrinter.Print(call)}' reads another cell's latent");
            return call.Indices.Count == 1 ? "row" : $"row * {Width(node.Indices[1].Plate)} + {Index(call.Indices[1])}";
        }

        /// <summary>Where a network's output for the row's cell at the call's output index lies in the row-major minibatch array.</summary>
        private string NetworkPosition(NodeCallExpr call, NodeSpec node)
        {
            if (call.Indices[0] is not IndexExpr { } cell || cell.Name != cellVariable)
                throw new InvalidOperationException($"'{ExprPrinter.Print(call)}' reads another cell's network output");
            return ItemVariable is null || call.Indices[1] is IndexExpr { } item && item.Name == ItemVariable
                ? "entry"
                : $"row * {Size(node.Indices[1].Plate)} + {Index(call.Indices[1])}";
        }

        private string DataAccess(NodeCallExpr call) =>
            call.Indices.Count == 0 ? $"model.{call.Node}Values" : $"model.{call.Node}Values[{string.Join(", ", call.Indices.Select(Index))}]";

        private string FlatIndex(NodeCallExpr call, NodeSpec node) =>
            CodeExpr.RowMajor(call.Indices.Select(Index).ToList(), node.Indices.Select(i => Size(i.Plate)).ToList());

        private static string Function(string name, string argument) => name switch
        {
            "Exp" => $"T.Exp({argument})",
            "Log" => $"T.Log({argument})",
            "Sqrt" => $"T.Sqrt({argument})",
            "Log1p" => $"T.LogP1({argument})",
            _ => $"{Variational}.ElementMath.{name}({argument})",
        };

        /// <summary>A latent without an encoder: ADVI's guide holds one draw of it in <c>{node}Value</c>, read and differentiated as a parameter is.</summary>
        public static bool IsGlobal(NodeSpec node) => node.Role == NodeRole.Latent && node.Declaration.Encoder is null;

        /// <summary>Whether the expression is the constant 1 (a chain-rule factor that can be left out).</summary>
        public static bool IsOne(Expr expr) => expr is ConstantExpr { Value: 1 };
    }
}
