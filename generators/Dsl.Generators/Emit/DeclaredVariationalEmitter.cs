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

        public static GeneratedFile Emit(ModelSpec spec, VariationalPlan plan, Lowering.MinibatchBuffers buffers)
        {
            var w = EmitHelpers.Header("Variational binding", spec.Namespace, spec.ClassName);
            using (w.Block(plan.IsPart ? $"partial class {spec.ClassName}" : $"partial class {spec.ClassName} : {Variational}.IVariationalDeclaredModel"))
            {
                if (!plan.IsPart)
                {
                    w.Line($"public {Variational}.IDeclaredVariational<float> CreateVariational(ulong seed) => new Variational<float>(this, seed);");
                    w.Line();
                }
                using (w.Block($"public sealed partial class {plan.ClassName}<T> : {Variational}.{(plan.IsPart ? "IVariationalPart" : "IDeclaredVariational")}<T>"))
                {
                    w.Line($"public string ElementPlate => {EmitHelpers.Literal(plan.BatchPlate)};");
                    w.Line();
                    EmitReadLatent(w, plan);
                    EmitReadNetwork(w, plan);
                    EmitReadConditional(w, plan);
                    EmitStoreParameters(w, spec, plan);
                    if (plan.Networks.Count > 0) EmitDecode(w, spec, plan, buffers);
                }
            }
            return new GeneratedFile(VariationalFileName(spec, plan, "VariationalBinding"), w.ToString());
        }

        private static void EmitReadLatent(SourceWriter w, VariationalPlan plan) =>
            EmitReadSwitch(w, "TryReadLatent", plan.Globals.Select(g => (g.Node, Value(g.Node))).Concat(plan.Latents.Select(l => (l.Node, $"{l.Node}PosteriorMean"))).ToList());

        /// <summary>
        /// <c>TryReadConditional</c> for each mixture allocation summed out of a latent's prior: its responsibilities
        /// r_k = exp(w_k − log Σ exp w) at the latent's current values, one row per element.
        /// </summary>
        private static void EmitReadConditional(SourceWriter w, VariationalPlan plan)
        {
            var mixtures = plan.Latents.Where(l => l.Mixture is not null).ToList();
            if (mixtures.Count == 0) return;
            using (w.Block("public bool TryReadConditional(string node, global::System.Span<double> destination)"))
            {
                using (w.Block("switch (node)"))
                    foreach (var latent in mixtures)
                        using (w.Block($"case {EmitHelpers.Literal(latent.Mixture!.Allocation)}:"))
                        {
                            w.Line($"var logShare = {latent.Node}LogShares(out _, out _);");
                            w.Line("var componentLog = new double[logShare.Length];");
                            using (w.Block("for (var row = 0; row < destination.Length / logShare.Length; row++)"))
                            {
                                w.Line($"var logPrior = {latent.Node}MixtureLogPrior(row, logShare, componentLog, out _);");
                                w.Line("for (var k = 0; k < logShare.Length; k++) destination[row * logShare.Length + k] = global::System.Math.Exp(componentLog[k] - logPrior);");
                            }
                            w.Line("return true;");
                        }
                w.Line("return false;");
            }
            w.Line();
        }

        private static void EmitReadNetwork(SourceWriter w, VariationalPlan plan) =>
            EmitReadSwitch(w, "TryReadNetwork", plan.Networks.Select(n => (n.Node, $"{n.Node}Output")).ToList());

        /// <summary>
        /// <c>bool {method}(string node, Span&lt;double&gt; destination)</c>: a node's values copied from its buffer. A
        /// buffer keeps the size of the largest block it held, so only as many entries as the caller asks for are copied.
        /// </summary>
        private static void EmitReadSwitch(SourceWriter w, string method, System.Collections.Generic.IReadOnlyList<(string Node, string Source)> cases)
        {
            if (cases.Count == 0)
            {
                w.Line($"public bool {method}(string node, global::System.Span<double> destination) => false; // no such node in this model");
                w.Line();
                return;
            }
            using (w.Block($"public bool {method}(string node, global::System.Span<double> destination)"))
            {
                using (w.Block("switch (node)"))
                {
                    foreach (var (node, source) in cases)
                    {
                        using (w.Block($"case {EmitHelpers.Literal(node)}:"))
                        {
                            w.Line($"var values = {source};");
                            w.Line("for (var n = 0; n < destination.Length; n++) destination[n] = double.CreateTruncating(values[n]);");
                            w.Line("return true;");
                        }
                    }
                }
                w.Line("return false;");
            }
            w.Line();
        }

        /// <summary>
        /// The networks in evaluation mode at given latent values (for simulation, where no counts exist to encode):
        /// each latent's values row-major over all elements, by name; the outputs land in the networks' Output spans.
        /// </summary>
        private static void EmitDecode(SourceWriter w, ModelSpec spec, VariationalPlan plan, Lowering.MinibatchBuffers buffers)
        {
            w.Line("/// <summary>The networks in evaluation mode at given latent values (row-major over all elements, by name): their outputs for these elements.</summary>");
            using (w.Block("public void Decode(global::System.ReadOnlySpan<int> elements, global::System.Collections.Generic.IReadOnlyDictionary<string, double[]> latents)"))
            {
                w.Line("var rows = elements.Length;");
                w.Line("const bool training = false;");
                w.Line("const ulong seed = 0, stream = 0; // evaluation mode draws no noise");
                foreach (var buffer in buffers.Decoding) w.Line($"{Neural}.Buffers.Ensure(ref {buffer.Name}, {buffer.Length});");
                w.Line("elements.CopyTo(cellOf);");
                foreach (var latent in plan.Latents)
                {
                    var node = ExprTools.Find(spec, latent.Node)!;
                    var width = Width(latent.ItemPlate);
                    var elementFirst = node.Indices[0].Plate == plan.BatchPlate;
                    using (w.Braces())
                    {
                        w.Line($"var values = latents[{EmitHelpers.Literal(latent.Node)}];");
                        using (w.Block("for (var row = 0; row < rows; row++)"))
                        using (w.Block($"for (var k = 0; k < {width}; k++)"))
                            w.Line($"{Sample(latent.Node)}[{CodeFolding.Plus(CodeFolding.Times("row", $"{width}"), "k")}] = T.CreateTruncating(values[{(elementFirst ? CodeFolding.Plus(CodeFolding.Times("elements[row]", $"{width}"), "k") : $"k * {Size(plan.BatchPlate)} + elements[row]")}]);");
                    }
                }
                ElboEmitter.EmitCovariateRows(w, spec, plan);
                foreach (var trunk in ElboEmitter.Trunks(plan)) ElboEmitter.EmitCategories(w, trunk.Key, trunk.First().Inputs, decoder: true);
                ElboEmitter.EmitNetworks(w, plan);
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
