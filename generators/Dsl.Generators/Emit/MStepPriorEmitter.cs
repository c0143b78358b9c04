using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.GibbsNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The M-step's term of a [Param]'s declared prior (a MAP estimate): Σ log prior(owner | arguments) over the owner's
    /// entries as a function of the parameter being maximised, which is either the owner itself (the density's
    /// derivative in its value) or a parameter its arguments read (the chain rule through each argument).
    /// </summary>
    internal static class MStepPriorEmitter
    {
        /// <param name="map">the method returning, per entry of the prior's owner, the entry of the parameter it reads</param>
        /// <param name="name">the method returning the term's value as a function of the parameter</param>
        public static void Emit(SourceWriter w, ModelSpec spec, GradientUpdate update, GradientTerm term, string map, string name)
        {
            var owner = ExprTools.Find(spec, term.Latent!)!;
            var own = GibbsEmitter.Call(owner);
            var ownsIt = owner.Name == update.Parameter;
            var p = update.Parameter;
            var vars = owner.Indices.ToDictionary(i => i.Variable, i => i.Variable);
            var code = new CodeExpr(spec, vars);
            var entries = owner.Indices.Count == 0 ? "1" : string.Join(" * ", owner.Indices.Select(i => CodeExpr.Size(i.Plate)));
            var entry = CodeExpr.RowMajor(owner.Indices.Select(i => i.Variable).ToList(), owner.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList());
            w.Line($"/// <summary>For each entry of {owner.Name}, the entry of {p} its prior {(ownsIt ? "is the density of" : "reads")}.</summary>");
            using (w.Block($"private int[] {map}()"))
            {
                w.Line($"var map = new int[{entries}];");
                using (SourceWriter.Nested(owner.Indices.Select(i => Loop(w, i)).ToArray()))
                    w.Line($"map[{entry}] = {code.FlatIndex(term.Access)};");
                w.Line("return map;");
            }
            w.Line();
            var distribution = owner.Declaration.Distribution!.Name;
            var arguments = ExprTools.ArgumentsAt(spec, owner, own);
            if (distribution == "Dirichlet")
            {
                // The concentration reads constants and data only, so the Dirichlet's normaliser is constant in P.
                EmitMethod(w, owner, name, entry,
                    $"log Dirichlet({owner.Name}; {ExprPrinter.Print(arguments[0])}) over every simplex of {owner.Name} up to its constant normaliser, Σ (c − 1) log {owner.Name}",
                    "with its gradient (c − 1) / " + owner.Name,
                    $"var excess = {code.Of(arguments[0])} - 1.0;",
                    "total += excess * global::System.Math.Log(x[read]);",
                    "if (!gradient.IsEmpty) gradient[read] += excess / x[read];");
                return;
            }
            var local = new IndexExpr(p + "_value", term.Access.Location);
            var valueCode = new CodeExpr(spec, new System.Collections.Generic.Dictionary<string, string>(vars) { [local.Name] = local.Name });
            var values = arguments.Select(a => valueCode.Of(ExprTools.ReplaceCalls(a, p, local))).ToList();
            var slopes = arguments.Select(a => ExprTools.ReplaceCalls(Differentiation.Derivative(a, term.Access), p, local)).ToList();
            var chain = slopes.Select((slope, n) => (slope, n)).Where(q => !Differentiation.IsZero(q.slope))
                .Select(q => q.slope is ConstantExpr { Value: 1 } ? $"d{q.n + 1}" : $"d{q.n + 1} * {valueCode.Of(q.slope)}").ToList();
            if (ownsIt) chain.Insert(0, "d0");
            EmitMethod(w, owner, name, entry,
                $"Σ over {owner.Name}'s entries of log {distribution}({owner.Name}; {string.Join(", ", arguments.Select(ExprPrinter.Print))})",
                $"as a function of {p}, with its gradient{(ownsIt ? " in the value" : " through each argument")}",
                $"var {local.Name} = x[read];",
                $"total += {SliceBlockEmitter.DensityCall(distribution, ownsIt ? local.Name : code.Access(own), values, "d")};",
                chain.Count > 0 ? $"if (!gradient.IsEmpty) gradient[read] += {string.Join(" + ", chain)};" : null);
        }

        /// <summary>The term's method: its statement, then per entry of the owner (read: the parameter's entry) the body's lines.</summary>
        private static void EmitMethod(SourceWriter w, NodeSpec owner, string name, string entry, string what, string how, params string?[] body)
        {
            w.Line("/// <summary>");
            w.Line($"/// {what} (line {owner.Declaration.Location.Line}),");
            w.Line($"/// {how}.");
            w.Line("/// </summary>");
            using (w.Block($"private double {name}(global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<int> map, global::System.Span<double> gradient)"))
            {
                w.Line("var total = 0.0;");
                using (SourceWriter.Nested(owner.Indices.Select(i => Loop(w, i)).ToArray()))
                {
                    w.Line($"var read = map[{entry}];");
                    foreach (var line in body)
                        if (line is not null) w.Line(line);
                }
                w.Line("return total;");
            }
        }
    }
}
