using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The KL term of an encoded latent whose Normal prior reads a mixture allocation (<see cref="MixturePrior"/>): the
    /// allocation summed out, one sample per cell,
    /// <code>
    ///   KL ≈ log q(u) − log Σ_k exp(w_k),   w_k = log π_k + Σ_d log Normal(u_d; mean_k,d, sd_k,d),
    /// </code>
    /// u = mean + sd·ε the reparameterised draw the decoders read. With responsibilities r_k = exp(w_k − log Σ exp w),
    /// ∂KL/∂u_d = −Σ_k r_k ∂log Normal/∂u_d, ∂KL/∂mean_k,d = −r_k ∂log Normal/∂mean (and so for sd), and for the weights
    /// ∂KL/∂π-weight_k = −(r_k / weight_k − 1 / Σ weight) (or −(r_k − softmax_k) for logits). At fixed ε, log q moves
    /// with the variance only (−1/(2v)).
    /// </summary>
    internal static class MixtureKlEmitter
    {
        private const string Hmc = "global::Dsl.Runtime.Hmc";

        public static void EmitDivergence(SourceWriter w, ModelSpec spec, EncodedLatent latent)
        {
            var mixture = latent.Mixture!;
            var node = ExprTools.Find(spec, latent.Node)!;
            var code = new VariationalExpr(spec, node.Indices[0].Variable);
            var k = mixture.Component;
            EmitComponents(w, spec, latent, code);
            w.Line("/// <summary>");
            w.Line($"/// KL(q({latent.Node}) ‖ Σ_k π_k Normal({ExprPrinter.Print(latent.PriorMean)}, {ExprPrinter.Print(latent.PriorSd)})), line {latent.Line}, {mixture.Allocation} summed out over {mixture.Plate}, by one sample per cell.");
            w.Line("/// </summary>");
            using (w.Block($"private double Divergence{latent.Node}(int rows, bool gradients, T scale)"))
            {
                w.Line("var sum = 0.0;");
                w.Line("const int chunk = 0; // the weights' and components' partials accumulate in chunk 0 (this term runs on one thread)");
                w.Line($"var logShare = {latent.Node}LogShares(out var weight, out var weightTotal);");
                w.Line("var componentLog = new double[logShare.Length];");
                w.Line("var responsibility = new double[logShare.Length];");
                using (w.Block("for (var row = 0; row < rows; row++)"))
                {
                    w.Line($"var logPrior = {latent.Node}MixtureLogPrior(row, logShare, componentLog, out var logQ);");
                    w.Line("sum += logQ - logPrior;");
                    w.Line("if (!gradients) continue;");
                    using (Entries(w, spec, latent))
                    {
                        w.Line($"{MeanGradient(latent.Node)}[entry] = T.Zero;");
                        w.Line($"{VarianceGradient(latent.Node)}[entry] = scale * T.CreateTruncating(-0.5 / double.CreateTruncating({Encoder(latent)}.Variance[entry]));");
                    }
                    using (w.Block($"for (var {k} = 0; {k} < logShare.Length; {k}++)"))
                    {
                        w.Line($"var r = global::System.Math.Exp(componentLog[{k}] - logPrior);");
                        w.Line($"responsibility[{k}] += r;");
                        using (Entries(w, spec, latent))
                        {
                            w.Line($"{Hmc}.LogDensity.Normal(double.CreateTruncating({Sample(latent.Node)}[entry]), {code.Double(latent.PriorMean)}, {code.Double(latent.PriorSd)}, out var dX, out var dMean, out var dSd);");
                            w.Line($"{SampleGradient(latent.Node)}[entry] += scale * T.CreateTruncating(-r * dX);");
                            Accumulate(w, code, latent.PriorMeanPartials, "-r * dMean", "mean");
                            Accumulate(w, code, latent.PriorSdPartials, "-r * dSd", "sd");
                        }
                    }
                }
                if (mixture.WeightPartials.Count > 0)
                {
                    using (w.Block("if (gradients)"))
                    using (w.Block($"for (var {k} = 0; {k} < logShare.Length; {k}++)"))
                    {
                        // Summed over the rows: Σ_n r_nk / weight_k − rows / Σ weight (a logit: Σ_n r_nk − rows · softmax_k).
                        w.Line(mixture.WeightIsLogit
                            ? $"var dWeight = responsibility[{k}] - rows * weight[{k}] / weightTotal;"
                            : $"var dWeight = responsibility[{k}] / weight[{k}] - rows / weightTotal;");
                        Accumulate(w, code, mixture.WeightPartials, "-dWeight", mixture.WeightIsLogit ? "logit" : "weight");
                    }
                }
                w.Line("return sum;");
            }
            w.Line();
            w.Line($"/// <summary>Adds log prior − log q of the sampled {latent.Node} to each row's weight ({mixture.Allocation} summed out).</summary>");
            using (w.Block($"private void LogDensityRatio{latent.Node}(int rows)"))
            {
                w.Line($"var logShare = {latent.Node}LogShares(out _, out _);");
                w.Line("var componentLog = new double[logShare.Length];");
                using (w.Block("for (var row = 0; row < rows; row++)"))
                {
                    w.Line($"var logPrior = {latent.Node}MixtureLogPrior(row, logShare, componentLog, out var logQ);");
                    w.Line("rowLogWeight[row] += logPrior - logQ;");
                }
            }
            w.Line();
        }

        /// <summary>log π_k for every component (the weights as declared, normalised), and the row's w_k, log Σ_k exp(w_k) and log q.</summary>
        private static void EmitComponents(SourceWriter w, ModelSpec spec, EncodedLatent latent, VariationalExpr code)
        {
            var mixture = latent.Mixture!;
            var k = mixture.Component;
            w.Line($"/// <summary>log π_k of {mixture.Allocation}: {(mixture.WeightIsLogit ? "a softmax of" : "normalised")} {ExprPrinter.Print(mixture.Weight)} over {mixture.Plate}.</summary>");
            using (w.Block($"private double[] {latent.Node}LogShares(out double[] weight, out double weightTotal)"))
            {
                w.Line($"weight = new double[{Size(mixture.Plate)}];");
                w.Line("weightTotal = 0.0;");
                using (w.Block($"for (var {k} = 0; {k} < weight.Length; {k}++)"))
                {
                    w.Line(mixture.WeightIsLogit
                        ? $"weight[{k}] = global::System.Math.Exp({code.Double(mixture.Weight)});"
                        : $"weight[{k}] = {code.Double(mixture.Weight)};");
                    w.Line($"weightTotal += weight[{k}];");
                }
                w.Line("var logShare = new double[weight.Length];");
                w.Line($"for (var {k} = 0; {k} < weight.Length; {k}++) logShare[{k}] = global::System.Math.Log(weight[{k}] / weightTotal);");
                w.Line("return logShare;");
            }
            w.Line();
            w.Line($"/// <summary>One row's w_k = log π_k + Σ log Normal({latent.Node} | component k) into componentLog, log q of its sample, and log Σ_k exp(w_k).</summary>");
            using (w.Block($"private double {latent.Node}MixtureLogPrior(int row, double[] logShare, double[] componentLog, out double logQ)"))
            {
                w.Line("logQ = 0.0;");
                using (Entries(w, spec, latent))
                    w.Line($"logQ += {Variational}.NormalKl.GuideLogDensity(double.CreateTruncating({Noise(latent.Node)}[entry]), 0.5 * global::System.Math.Log(double.CreateTruncating({Encoder(latent)}.Variance[entry])));");
                using (w.Block($"for (var {k} = 0; {k} < logShare.Length; {k}++)"))
                {
                    w.Line($"componentLog[{k}] = logShare[{k}];");
                    using (Entries(w, spec, latent))
                        w.Line($"componentLog[{k}] += {Hmc}.LogDensity.Normal(double.CreateTruncating({Sample(latent.Node)}[entry]), {code.Double(latent.PriorMean)}, {code.Double(latent.PriorSd)}, out _, out _, out _);");
                }
                w.Line($"return {Hmc}.LogDensity.LogSumExp(componentLog);");
            }
            w.Line();
        }

        /// <summary>The row's entries of the latent, with its cell and item variables and <c>entry</c> in scope.</summary>
        private static System.IDisposable Entries(SourceWriter w, ModelSpec spec, EncodedLatent latent)
        {
            var node = ExprTools.Find(spec, latent.Node)!;
            var item = node.Indices.Count == 2 ? node.Indices[1].Variable : null;
            var loop = item is null ? w.Braces() : w.Block($"for (var {item} = 0; {item} < {Width(latent.ItemPlate)}; {item}++)");
            w.Line($"var {node.Indices[0].Variable} = cellOf[row];");
            w.Line(item is null ? "var entry = row;" : $"var entry = row * {Width(latent.ItemPlate)} + {item};");
            return loop;
        }

        private static void Accumulate(SourceWriter w, VariationalExpr code, Helpers.EquatableArray<PartialDerivative> partials, string adjoint, string of)
        {
            foreach (var partial in partials)
            {
                w.Line($"// ∂{of}/∂{ExprPrinter.Print(partial.Target)} = {ExprPrinter.Print(partial.Derivative)}");
                var factor = VariationalExpr.IsOne(partial.Derivative) ? "" : $" * {code.Of(partial.Derivative)}";
                w.Line($"{code.GradientOf(partial.Target)} += scale * T.CreateTruncating({adjoint}){factor};");
            }
        }
    }
}
