using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// <c>{Model}.VariationalBinding.g.cs</c>: what the generic fit of declared models needs from a variational
    /// model besides training: the factory of its variational family, its encoded latents' values by name, and its
    /// fitted parameters copied into the model's stored values.
    /// </summary>
    internal static class DeclaredVariationalEmitter
    {
        private const string Variational = "global::Dsl.Runtime.Variational";

        public static GeneratedFile Emit(ModelSpec spec, VariationalPlan plan)
        {
            var w = EmitHelpers.Header("Variational binding", spec.Namespace, spec.ClassName);
            using (w.Block($"partial class {spec.ClassName} : {Variational}.IVariationalDeclaredModel"))
            {
                w.Line($"public {Variational}.IDeclaredVariational<float> CreateVariational(ulong seed) => new Variational<float>(this, seed);");
                w.Line();
                using (w.Block($"public sealed partial class Variational<T> : {Variational}.IDeclaredVariational<T>"))
                {
                    w.Line($"public string ElementPlate => {EmitHelpers.Literal(plan.BatchPlate)};");
                    w.Line();
                    EmitReadLatent(w, plan);
                    EmitStoreParameters(w, spec, plan);
                }
            }
            return new GeneratedFile($"{spec.ClassName}.VariationalBinding.g.cs", w.ToString());
        }

        private static void EmitReadLatent(SourceWriter w, VariationalPlan plan)
        {
            using (w.Block("public bool TryReadLatent(string node, global::System.Span<double> destination)"))
            {
                using (w.Block("switch (node)"))
                {
                    foreach (var latent in plan.Latents)
                    {
                        using (w.Block($"case {EmitHelpers.Literal(latent.Node)}:"))
                        {
                            w.Line($"var values = {latent.Node}PosteriorMean;");
                            w.Line("for (var n = 0; n < values.Length; n++) destination[n] = double.CreateTruncating(values[n]);");
                            w.Line("return true;");
                        }
                    }
                }
                w.Line("return false;");
            }
            w.Line();
        }

        private static void EmitStoreParameters(SourceWriter w, ModelSpec spec, VariationalPlan plan)
        {
            using (w.Block("public void StoreParameters()"))
            {
                foreach (var parameter in plan.Parameters)
                {
                    var node = ExprTools.Find(spec, parameter.Node)!;
                    if (node.Indices.Count == 0)
                    {
                        w.Line($"model.{node.Name}Values = double.CreateTruncating({node.Name}At(0));");
                        continue;
                    }
                    var sizes = string.Join(", ", node.Indices.Select(i => Size(i.Plate)));
                    using (w.Braces())
                    {
                        w.Line($"var fitted = new double[{string.Join(" * ", node.Indices.Select(i => Size(i.Plate)))}];");
                        w.Line($"for (var n = 0; n < fitted.Length; n++) fitted[n] = double.CreateTruncating({node.Name}At(n));");
                        w.Line($"model.{node.Name}Values = new double[{sizes}];");
                        w.Line($"global::Dsl.Runtime.Models.RowMajor.CopyTo(fitted, model.{node.Name}Values);");
                    }
                }
            }
        }
    }
}
