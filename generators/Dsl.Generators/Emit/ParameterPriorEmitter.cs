using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The term of a [Param] with a declared prior in <c>Variational&lt;T&gt;</c>: −log p(θ | arguments) summed over the
    /// parameter's entries, at the parameter's current value (a MAP estimate on its own scale: no Jacobian of the log or
    /// softmax the optimiser moves it through). The whole data set shares it, so each row carries 1/Population of it, as
    /// of a global latent's KL; its partials reach the parameter and whatever its arguments read.
    /// </summary>
    internal static class ParameterPriorEmitter
    {
        public static string TermName(FittedParameter parameter) => $"-log prior({parameter.Node})";

        public static void EmitTerm(SourceWriter w, ModelSpec spec, FittedParameter parameter, ParameterPrior prior)
        {
            var node = ExprTools.Find(spec, parameter.Node)!;
            var code = new VariationalExpr(spec, "");
            w.Line("/// <summary>");
            w.Line($"/// The prior of the parameter {parameter.Node} (line {prior.Line}): −log {prior.Kernel}({parameter.Node} | {string.Join(", ", prior.Arguments.Select(a => ExprPrinter.Print(a.Value)))})");
            w.Line("/// over its entries, times rows·scale (its share of this minibatch); its partials, times scale, into the gradients.");
            w.Line("/// </summary>");
            using (w.Block($"private double Prior{parameter.Node}(int rows, bool gradients, double scale)"))
            {
                w.Line("var sum = 0.0;");
                using (GlobalLatentEmitter.EntryLoops(w, node))
                {
                    w.Line($"var x = double.CreateTruncating({Value(parameter.Node)}[at]);");
                    if (prior.Kernel == "Dirichlet")
                    {
                        w.Line("// A Dirichlet over the simplex, its concentration of constants and data: (c − 1)·log x, up to its constant normaliser.");
                        w.Line($"var excess = {code.Double(prior.Arguments[0].Value)} - 1.0;");
                        w.Line("sum -= excess * global::System.Math.Log(x);");
                        w.Line("var dX = excess / x;");
                    }
                    else
                    {
                        w.Line($"sum -= {GlobalLatentEmitter.PriorDensity(code, prior.Kernel, prior.Arguments)};");
                    }
                    w.Line("if (!gradients) continue;");
                    w.Line("// The parameter's share joins its first chunk's partials, which the backward pass sums in chunk order.");
                    w.Line($"{Partials(parameter.Node)}[at] -= T.CreateTruncating(scale * dX);");
                    GlobalLatentEmitter.EmitArgumentPartials(w, spec, code, prior.Arguments);
                }
                w.Line("return sum * rows * scale;");
            }
            w.Line();
        }
    }
}
