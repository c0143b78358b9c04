using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// A <see cref="SliceUpdate"/> inside <c>{Model}.Conjugate.g.cs</c>: the latent's log full conditional on its
    /// unconstrained scale as a method (its prior's and each child's log density at the sampler's current state, the
    /// trial value written into that state), and one slice-sampling step of it per sweep.
    /// </summary>
    internal static class SliceUpdateEmitter
    {
        private const string Special = "global::Dsl.Runtime.Special.SpecialFunctions";

        /// <summary>
        /// The starting width on the unconstrained scale, where a unit is a factor e for a positive latent; warm-up
        /// tunes it to the conditional's scale (<c>AdaptiveSliceWidth</c>).
        /// </summary>
        private const string InitialWidth = "1.0";

        private static string Width(SliceUpdate update) => update.Latent.Node + "Width";

        private static string Conditional(SliceUpdate update) => EmitHelpers.Capitalised(update.Latent.Node) + "Conditional";

        private static string LogConditional(SliceUpdate update) => EmitHelpers.Capitalised(update.Latent.Node) + "LogConditional";

        public static void EmitWidthField(SourceWriter w, SliceUpdate update) =>
            w.Line($"private global::Dsl.Runtime.Inference.Rules.AdaptiveSliceWidth {Width(update)} = new({InitialWidth}); // {update.Latent.Node}'s slice width, tuned in warm-up");

        public static void Emit(SourceWriter w, ModelSpec spec, SliceUpdate update, System.Action<SourceWriter> locals)
        {
            var latent = ExprTools.Find(spec, update.Latent.Node)!;
            var state = $"{ConjugateEmitter.State(latent)}[0]";
            var code = ConjugateEmitter.Code(spec, new string[0]);
            var (toU, fromU, jacobian) = Transform(update.Latent, code);
            w.Line("/// <summary>");
            w.Line($"/// Slice sampling (line {latent.Declaration.Location.Line}): {latent.Name} ~ {ExprPrinter.Print(latent.Declaration.Distribution!)} has no closed-form conditional, so one");
            w.Line($"/// stepping-out and shrinkage step (Neal 2003) on u = {Scale(update.Latent.Transform, latent.Name)} leaves p({latent.Name} | rest) ∝ p({latent.Name}) Π p({string.Join(", ", update.Children)} | {latent.Name}) invariant.");
            w.Line("/// </summary>");
            using (w.Block($"private void {Lowering.ExactSweep.Name(update.Latent.Node)}(ref global::Dsl.Runtime.Random.RandomStream random)"))
            {
                w.Line($"var ldConditional = new {Conditional(update)}(this);");
                w.Line($"var ldX = {state};");
                w.Line($"var ldStart = {toU};");
                w.Line($"var ldU = global::Dsl.Runtime.Inference.Rules.SliceSampler.Sample(ldStart, {Width(update)}.Width, ref ldConditional, ref random);");
                w.Line($"if (adapting) {Width(update)}.Observe(ldStart, ldU);");
                w.Line($"{state} = {fromU};");
            }
            w.Line();
            w.Line($"/// <summary>log p({latent.Name} | rest) on the unconstrained scale, up to a constant, for the slice sampler.</summary>");
            using (w.Block($"private readonly struct {Conditional(update)}(ConjugateSweep sweep) : global::Dsl.Runtime.Inference.Rules.IScalarLogDensity"))
                w.Line($"public double LogDensity(double u) => sweep.{LogConditional(update)}(u);");
            w.Line();
            w.Line($"/// <summary>log p({latent.Name} = x(u)) + Σ log p(child | x) + log |dx/du|, the trial value written into the state the children read.</summary>");
            using (w.Block($"private double {LogConditional(update)}(double ldU)"))
            {
                locals(w);
                w.Line($"var ldX = {fromU};");
                w.Line($"{state} = ldX;");
                w.Line($"var ldTotal = {jacobian} + {Kernel(spec, latent, "ldX", code)};");
                w.Line("if (!double.IsFinite(ldTotal)) return double.NegativeInfinity;");
                foreach (var child in update.Children.Select(c => ExprTools.Find(spec, c)!))
                {
                    w.Line($"// {child.Name}({string.Join(", ", child.Indices.Select(i => i.Variable))}) ~ {ExprPrinter.Print(child.Declaration.Distribution!)}");
                    using (w.Braces())
                    using (BindingEmitter.Loops(w, child.Indices))
                    {
                        var variables = child.Indices.Select(i => i.Variable).ToList();
                        var inner = ConjugateEmitter.HoistSums(w, spec, variables, SamplingEmitter.Arguments(spec, child));
                        w.Line($"ldTotal += {Kernel(spec, child, inner.Of(ExprTools.OwnCall(child)), inner)};");
                    }
                }
                w.Line("return double.IsNaN(ldTotal) ? double.NegativeInfinity : ldTotal;");
            }
            w.Line();
        }

        /// <summary>The kernel call log p(value | arguments), its partials discarded.</summary>
        private static string Kernel(ModelSpec spec, NodeSpec node, string value, CodeExpr code)
        {
            var (method, given) = SamplingEmitter.Kernel(node);
            var arguments = new[] { value }.Concat(SamplingEmitter.Arguments(spec, node).Select(code.Of)).Concat(Enumerable.Repeat("out _", 1 + given.Count));
            return $"{SamplingEmitter.Hmc}.LogDensity.{method}({string.Join(", ", arguments)})";
        }

        /// <summary>The unconstrained scale in words, for the generated comment.</summary>
        private static string Scale(LatentTransform transform, string x) => transform switch
        {
            LatentTransform.Log => $"log {x}",
            LatentTransform.Logit => $"logit {x}",
            LatentTransform.Interval => $"logit(({x} − lower) / (upper − lower))",
            _ => x,
        };

        /// <summary>u from the current value ldX, x from ldU, and log |dx/du| at ldU, by the latent's transform.</summary>
        private static (string ToU, string FromU, string Jacobian) Transform(SampledLatent latent, CodeExpr code)
        {
            switch (latent.Transform)
            {
                case LatentTransform.Log:
                    return ("global::System.Math.Log(ldX)", "global::System.Math.Exp(ldU)", "ldU");
                case LatentTransform.Logit:
                    return ("global::System.Math.Log(ldX / (1 - ldX))", $"{Special}.Logistic(ldU)", $"-({Special}.Softplus(-ldU) + {Special}.Softplus(ldU))");
                case LatentTransform.Interval:
                    var (lower, upper) = (code.Of(latent.Lower!), code.Of(latent.Upper!));
                    return ($"global::System.Math.Log((ldX - {lower}) / ({upper} - ldX))", $"{lower} + ({upper} - {lower}) * {Special}.Logistic(ldU)",
                        $"global::System.Math.Log({upper} - {lower}) - {Special}.Softplus(-ldU) - {Special}.Softplus(ldU)");
                default:
                    return ("ldX", "ldU", "0.0");
            }
        }
    }
}
