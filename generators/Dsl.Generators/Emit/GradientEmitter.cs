using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Emits <c>{Model}.Gradients.g.cs</c>: the reverse pass of the minibatch loss. The ELBO terms have already
    /// left their derivatives with respect to parameters, network outputs, latent samples and factor moments; this
    /// reduces the parameter partials in a fixed order, back-propagates through the networks into the latents they
    /// read, and through the reparameterisation into the encoders.
    /// </summary>
    internal static class GradientEmitter
    {
        public static GeneratedFile Emit(ModelSpec spec, VariationalPlan plan)
        {
            var w = EmitHelpers.Header("Variational gradients", spec.Namespace, spec.ClassName);
            using (w.Block($"partial class {spec.ClassName}"))
            using (w.Block($"partial class {plan.ClassName}<T>"))
            using (w.Block("private void Backward(int rows)"))
            {
                foreach (var parameter in plan.Parameters) EmitParameter(w, parameter);
                GlobalLatentEmitter.EmitBackward(w, plan);
                foreach (var trunk in ElboEmitter.Trunks(plan).Reverse()) EmitNetwork(w, trunk.Key, trunk.ToList());
                ElboEmitter.EmitBranches(w, plan.Latents.Reverse().Select(latent => (System.Action)(() => EmitLatent(w, latent))).ToList());
            }
            return new GeneratedFile(VariationalFileName(spec, plan, "Gradients"), w.ToString());
        }

        private static void EmitParameter(SourceWriter w, FittedParameter parameter)
        {
            var value = Parameter(parameter.Node);
            if (parameter.Simplex is { } axis)
            {
                EmitSimplexParameter(w, parameter.Node, axis);
                return;
            }
            w.Line(parameter.Positive
                ? $"// {parameter.Node} = exp(u): ∂loss/∂u = ∂loss/∂{parameter.Node} · {parameter.Node}; chunk partials summed in chunk order."
                : $"// {parameter.Node}: chunk partials summed in chunk order.");
            using (w.Block($"for (var i = 0; i < {value}.Value.Length; i++)"))
            {
                w.Line("var sum = T.Zero;");
                w.Line($"for (var chunk = 0; chunk < {Variational}.RowChunks.Count; chunk++) sum += {Partials(parameter.Node)}[chunk * {value}.Value.Length + i];");
                w.Line($"{value}.Gradient[i] += sum{(parameter.Positive ? $" * {Value(parameter.Node)}[i]" : "")};");
            }
        }

        /// <summary>
        /// A softmax row v = softmax(u): ∂loss/∂u_k = v_k (g_k − Σ_j v_j g_j), g the chunk partials summed in chunk order
        /// (kept in the first chunk's slots, which are not read again this step).
        /// </summary>
        private static void EmitSimplexParameter(SourceWriter w, string node, SimplexAxis axis)
        {
            var (value, partials, values) = (Parameter(node), Partials(node), Value(node));
            var (stride, length) = SimplexEmitter.AxisCode(axis);
            w.Line($"// {node} = softmax(u) along {axis.Plate}: ∂loss/∂u_k = {node}_k·(∂loss/∂{node}_k − Σ_j {node}_j·∂loss/∂{node}_j); chunk partials summed in chunk order.");
            using (w.Block($"for (var i = 0; i < {value}.Value.Length; i++)"))
            {
                w.Line("var sum = T.Zero;");
                w.Line($"for (var chunk = 0; chunk < {Variational}.RowChunks.Count; chunk++) sum += {partials}[chunk * {value}.Value.Length + i];");
                w.Line($"{partials}[i] = sum;");
            }
            using (w.Block($"for (var start = 0; start < {value}.Value.Length; start++)"))
            {
                w.Line($"if (start / ({stride}) % {length} != 0) continue; // not the first entry of a row");
                w.Line("var mean = T.Zero;");
                w.Line($"for (var k = 0; k < {length}; k++) mean += {values}[start + k * ({stride})] * {partials}[start + k * ({stride})];");
                w.Line($"for (var k = 0; k < {length}; k++) {value}.Gradient[start + k * ({stride})] += {values}[start + k * ({stride})] * ({partials}[start + k * ({stride})] - mean);");
            }
        }

        private static void EmitNetwork(SourceWriter w, string owner, System.Collections.Generic.List<NetworkNode> networks)
        {
            w.Line($"// Back through {string.Join(" and ", networks.Select(n => n.Node))} into {string.Join(", ", networks[0].Inputs.Where(i => i.Kind == InputKind.Latent).Select(i => i.Node))}.");
            w.Line($"var {owner}Hidden = {Trunk(owner)}.StartBackward(rows);");
            if (networks.Count == 1)
                w.Line($"{Head(networks[0].Node)}.Backward({Trunk(owner)}.Output, {OutputGradient(networks[0].Node)}, rows, {owner}Hidden);");
            else
            {
                // Side by side, each head into its own hidden gradient; summed in head order, as accumulating them would.
                ElboEmitter.EmitBranches(w, networks.Select(network => (System.Action)(() =>
                    w.Line($"{Head(network.Node)}.Backward({Trunk(owner)}.Output, {OutputGradient(network.Node)}, rows);"))).ToList());
                w.Line($"for (var k = 0; k < rows * {Trunk(owner)}.Hidden; k++) {owner}Hidden[k] = {string.Join(" + ", networks.Select(n => $"{Head(n.Node)}.HiddenGradient[k]"))};");
            }
            w.Line($"{Trunk(owner)}.Backward(rows, {InputGradient(owner)});");
            var continuous = networks[0].Inputs.Where(i => i.Kind != InputKind.Category).ToList();
            w.Line($"var {owner}Width = {TotalWidth(continuous)};");
            using (w.Block("for (var row = 0; row < rows; row++)"))
            {
                var offset = "0";
                foreach (var input in continuous)
                {
                    // A covariate is data: its columns of the input gradient are skipped.
                    var width = Width(input.Plate);
                    if (input.Kind == InputKind.Latent)
                        w.Line($"for (var j = 0; j < {width}; j++) {SampleGradient(input.Node)}[row * {width} + j] += {InputGradient(owner)}[row * {owner}Width + {ElboEmitter.Plus(offset)}j];");
                    offset = offset == "0" ? width : $"{offset} + {width}";
                }
            }
        }

        private static void EmitLatent(SourceWriter w, EncodedLatent latent)
        {
            var sample = latent.LogScale ? $"exp(mean + sd·ε)" : "mean + sd·ε";
            w.Line($"// {latent.Node} = {sample}: ∂/∂mean = ∂/∂log-sample, ∂/∂variance = ∂/∂log-sample · ε / (2·sd).".Replace("log-sample", latent.LogScale ? "log " + latent.Node : latent.Node));
            using (w.Block($"for (var entry = 0; entry < {CodeFolding.Times("rows", Width(latent.ItemPlate))}; entry++)"))
            {
                w.Line(latent.LogScale
                    ? $"var dNormal = {SampleGradient(latent.Node)}[entry] * {Sample(latent.Node)}[entry];"
                    : $"var dNormal = {SampleGradient(latent.Node)}[entry];");
                w.Line($"{MeanGradient(latent.Node)}[entry] += dNormal;");
                w.Line($"{VarianceGradient(latent.Node)}[entry] += dNormal * {Noise(latent.Node)}[entry] / (T.CreateTruncating(2) * T.Sqrt({Encoder(latent)}.Variance[entry]));");
            }
            w.Line($"{Encoder(latent)}.Backward({MeanGradient(latent.Node)}, {VarianceGradient(latent.Node)}, rows);");
        }
    }
}
