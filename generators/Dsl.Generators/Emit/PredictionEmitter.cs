using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// <c>TryPredict</c> of a maximum-likelihood objective: each scalar observation's expected value E[y] at every entry,
    /// from its distribution's arguments at the stored parameters. Where entries are missing it is the model's
    /// imputation (deepMc's completed matrix); elsewhere its fitted value.
    /// </summary>
    internal static class PredictionEmitter
    {
        private const string Special = "global::Dsl.Runtime.Special.SpecialFunctions";

        public static void Emit(SourceWriter w, ModelSpec spec, IReadOnlyList<NodeSpec> observed, Lowering.MatrixProducts products, Lowering.ProductLayout.RowBlocking? blocking,
            System.Action<SourceWriter> locals)
        {
            var predicted = observed.Where(n => !SimplexEmitter.IsVector(n) && Mean(n.Declaration.Distribution!.Name, name => name, false) is not null).ToList();
            var incomplete = observed.Where(n => n.Declaration.Constraints.Missing is not null).Select(n => EmitHelpers.Literal(n.Name));
            w.Line("/// <summary>The observations with entries declared missing, whose predictions a fit reports.</summary>");
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<string> Incomplete {{ get; }} = new string[] {{ {string.Join(", ", incomplete)} }};");
            w.Line();
            w.Line("/// <summary>E[node] at every entry, row-major, at the stored parameters; false for a node with no expected value here.</summary>");
            using (w.Block("public bool TryPredict(string node, global::System.Span<double> destination)"))
            {
                if (predicted.Count == 0)
                {
                    w.Line("return false;");
                    return;
                }
                if (products.Products.Count > 0) w.Line("MultiplyMatrices();");
                locals(w);
                var reverse = new ReverseMode(w, spec, products);
                using (w.Block("switch (node)"))
                {
                    foreach (var node in predicted)
                    {
                        w.Line($"case {EmitHelpers.Literal(node.Name)}: // E[{node.Name}] with {node.Name} ~ {ExprPrinter.Print(node.Declaration.Distribution!)} (line {node.Declaration.Location.Line})");
                        using (w.Braces())
                        {
                            // Blocking covers every observation (MatrixProductEmitter.Blocking): the products are read a block of rows at a time.
                            void Entries()
                            {
                                using (blocking is null ? BindingEmitter.Loops(w, node.Indices) : MatrixProductEmitter.BlockLoops(w, node.Indices))
                                    EmitEntry(w, spec, reverse, node);
                            }
                            if (blocking is null) Entries();
                            else MatrixProductEmitter.InBlocks(w, reverse, blocking, Entries);
                            w.Line("return true;");
                        }
                    }
                    w.Line("default: return false;");
                }
            }
            w.Line();
        }

        /// <summary>destination[entry] = E[node] at the entry's arguments.</summary>
        private static void EmitEntry(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec node)
        {
            var distribution = node.Declaration.Distribution!;
            var scope = new ReverseMode.Scope(node.Indices.Select(i => i.Variable));
            var given = DistributionCatalog.Find(distribution.Name)!.Parameters.Where(p => distribution.Arguments.Any(a => a.Name == p.Name)).ToList();
            var arguments = SamplingEmitter.Arguments(spec, node);
            // Each argument the mean reads becomes a local when first read (an sd, say, is not).
            var values = new Dictionary<string, string>();
            string Argument(string name)
            {
                if (!values.TryGetValue(name, out var local))
                    values[name] = local = reverse.Local("Arg", reverse.Of(arguments[given.FindIndex(p => p.Name == name)], scope));
                return local;
            }
            var mean = Mean(distribution.Name, Argument, given.Any(p => p.Name == "logit"))!;
            w.Line($"destination[{ReverseMode.Position(node)}] = {mean};");
        }

        /// <summary>E[x] of a scalar family, reading its arguments' C# by parameter name, or null where the family has no mean here.</summary>
        private static string? Mean(string family, System.Func<string, string> at, bool logit)
        {
            string Probability() => logit ? $"{Special}.Logistic({at("logit")})" : at("p");
            return family switch
            {
                "Normal" => at("mean"),
                "StudentT" => at("location"),
                "LogNormal" => $"global::System.Math.Exp({at("logMean")} + 0.5 * {at("logSd")} * {at("logSd")})",
                "Gamma" => $"{at("shape")} / {at("rate")}",
                "InverseGamma" => $"{at("scale")} / ({at("shape")} - 1)",
                "Beta" => $"{at("a")} / ({at("a")} + {at("b")})",
                "Exponential" => $"1.0 / {at("rate")}",
                "HalfNormal" => $"{at("sd")} * 0.7978845608028654",
                "Poisson" => at("rate"),
                "NegativeBinomial" => at("mean"),
                "ZeroInflatedNegativeBinomial" => $"{at("mean")} * (1 - {Special}.Logistic({at("zeroLogit")}))",
                "Bernoulli" => Probability(),
                "Binomial" => $"{at("trials")} * {Probability()}",
                _ => null,
            };
        }
    }
}
