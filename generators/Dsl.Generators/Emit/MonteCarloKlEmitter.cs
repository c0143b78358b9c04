using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The KL term of an encoded latent whose prior is neither Normal nor LogNormal (a Gamma library size, a Student-t
    /// coordinate): one sample per entry, KL ≈ log q(u) − log p(x) − log|dx/du| at x = u (or x = exp(u) for a prior on
    /// the positive reals), u = mean + sd·ε the reparameterised draw the likelihoods also read. Its gradient reaches the
    /// factor's variance directly (log q at fixed ε: −1/(2v)) and everything else through the sample.
    /// </summary>
    internal static class MonteCarloKlEmitter
    {
        private const string Hmc = "global::Dsl.Runtime.Hmc";

        public static void EmitDivergence(SourceWriter w, ModelSpec spec, EncodedLatent latent)
        {
            var code = new VariationalExpr(spec, ExprTools.Find(spec, latent.Node)!.Indices[0].Variable);
            var guide = latent.LogScale ? $"log {latent.Node}" : latent.Node;
            w.Line("/// <summary>");
            w.Line($"/// KL(q({latent.Node}) ‖ {latent.PriorKernel}), line {latent.Line}, by one sample: log q(u) − log p({latent.Node}){(latent.LogScale ? $" − log {latent.Node}" : "")}, u = {guide} ~ Normal(mean, variance).");
            w.Line("/// </summary>");
            using (w.Block($"private double Divergence{latent.Node}(int rows, bool gradients, T scale)"))
            {
                w.Line("var sum = 0.0;");
                ElboEmitter.EmitLatentEntries(w, spec, latent, normalPrior: false, () =>
                {
                    EmitTerms(w, code, latent);
                    w.Line("sum += logQ - logPrior - logJacobian;");
                    w.Line("if (!gradients) continue;");
                    w.Line("// At fixed ε, log q(u) = −ε²/2 − log v/2 − log 2π/2 moves with the variance only; log p and the Jacobian move with the sample.");
                    w.Line($"{MeanGradient(latent.Node)}[entry] = T.Zero;");
                    w.Line($"{VarianceGradient(latent.Node)}[entry] = scale * T.CreateTruncating(-0.5 / variance);");
                    w.Line($"{SampleGradient(latent.Node)}[entry] += scale * T.CreateTruncating(-dX{(latent.LogScale ? " - 1 / x" : "")});");
                });
                w.Line("return sum;");
            }
            w.Line();
            w.Line($"/// <summary>Adds log prior + log Jacobian − log q of the sampled {guide} to each row's weight.</summary>");
            using (w.Block($"private void LogDensityRatio{latent.Node}(int rows)"))
            {
                ElboEmitter.EmitLatentEntries(w, spec, latent, normalPrior: false, () =>
                {
                    EmitTerms(w, code, latent);
                    w.Line("rowLogWeight[row] += logPrior + logJacobian - logQ;");
                });
            }
            w.Line();
        }

        private static void EmitTerms(SourceWriter w, VariationalExpr code, EncodedLatent latent)
        {
            var arguments = latent.PriorArguments.Select(code.Double);
            w.Line($"var variance = double.CreateTruncating({Encoder(latent)}.Variance[entry]);");
            w.Line($"var noise = double.CreateTruncating({Noise(latent.Node)}[entry]);");
            w.Line($"var x = double.CreateTruncating({Sample(latent.Node)}[entry]);");
            w.Line($"var logQ = {Variational}.NormalKl.GuideLogDensity(noise, 0.5 * global::System.Math.Log(variance));");
            w.Line($"var logPrior = {Hmc}.LogDensity.{latent.PriorKernel}(x, {string.Join(", ", arguments)}, out var dX{string.Concat(latent.PriorArguments.Select(_ => ", out _"))});");
            w.Line($"var logJacobian = {(latent.LogScale ? "global::System.Math.Log(x)" : "0.0")};");
        }
    }
}
