using System.Globalization;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>Prints expressions in the declaration's own notation, for IR dumps, graphs and generated comments.</summary>
    public static class ExprPrinter
    {
        public static string Print(Expr expr) => expr switch
        {
            ConstantExpr constant => Number(constant.Value),
            IndexExpr index => index.Name,
            PlateConstantExpr entry => $"new {entry.Plate}({entry.Value})",
            NodeCallExpr call => $"{call.Node}({string.Join(", ", call.Indices.Select(Print))})",
            FunctionExpr function => $"{function.Function}({string.Join(", ", function.Arguments.Select(Print))})",
            IndexValueExpr value => $"{value.Name}.Value",
            PlateEntryExpr entry => $"new {entry.Plate}({Print(entry.Position)})",
            SumExpr { CountsEntries: true } size => $"Size<{size.Over.Plate}>()",
            SumExpr sum => $"Sum[{sum.Over.Variable} in {sum.Over.Plate}]({Print(sum.Over.Body)})",
            LambdaExpr lambda => $"({lambda.Plate} {lambda.Variable}) => {Print(lambda.Body)}",
            BinaryExpr binary => $"{Operand(binary.Left, binary.Operator, false)} {binary.Operator} {Operand(binary.Right, binary.Operator, true)}",
            NegateExpr negate => $"-{Operand(negate.Operand, '*', true)}",
            UnsupportedExpr unsupported => $"<unsupported: {unsupported.Text}>",
            _ => expr.ToString(),
        };

        public static string Print(DistributionDecl distribution)
        {
            var arguments = distribution.Arguments.Select(a => $"{a.Name}: {Print(a.Value)}");
            if (distribution.Over is not null) arguments = new[] { $"over: {distribution.Over}" }.Concat(arguments);
            return $"{distribution.Name}({string.Join(", ", arguments)})";
        }

        public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static int Precedence(char op) => op is '+' or '-' ? 1 : 2;

        /// <summary>Parenthesises an operand only where precedence or associativity needs it.</summary>
        private static string Operand(Expr operand, char parent, bool right)
        {
            var text = Print(operand);
            if (operand is not BinaryExpr child) return text;
            var needs = Precedence(child.Operator) < Precedence(parent)
                || (right && Precedence(child.Operator) == Precedence(parent) && parent is '-' or '/');
            return needs ? $"({text})" : text;
        }
    }
}
