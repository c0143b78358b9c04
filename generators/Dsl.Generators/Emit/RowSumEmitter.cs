using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// A Sum inside a likelihood argument, computed once per row (<see cref="RowSum"/>): its value before the row's
    /// arguments, and after the row's chain rule its adjoint handed on to what its body reads.
    /// </summary>
    internal static class RowSumEmitter
    {
        public static void EmitTotal(SourceWriter w, VariationalExpr code, RowSum total)
        {
            w.Line($"// {total.Name} = {ExprPrinter.Print(new SumExpr(total.Over, total.Over.Location))}");
            w.Line($"var {total.Name} = T.Zero;");
            w.Line($"for (var {total.Over.Variable} = 0; {total.Over.Variable} < {Size(total.Over.Plate)}; {total.Over.Variable}++) {total.Name} += {code.Of(total.Over.Body)};");
        }

        /// <summary>A row's total handed on to what its Sum's body reads: ∂loss/∂t += adjoint · ∂body/∂t at every index of the Sum.</summary>
        public static void EmitChainRule(SourceWriter w, VariationalExpr code, RowSum total)
        {
            var over = total.Over;
            using (w.Block($"for (var {over.Variable} = 0; {over.Variable} < {Size(over.Plate)}; {over.Variable}++)"))
                foreach (var partial in total.Partials)
                {
                    w.Line($"// ∂{total.Name}/∂{ExprPrinter.Print(partial.Target)} = {ExprPrinter.Print(partial.Derivative)}");
                    var factor = VariationalExpr.IsOne(partial.Derivative) ? "" : $" * {code.Of(partial.Derivative)}";
                    w.Line($"{code.GradientOf(partial.Target)} += {total.Name}Adjoint{factor};");
                }
        }
    }
}
