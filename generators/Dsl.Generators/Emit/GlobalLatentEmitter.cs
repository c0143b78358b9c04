using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The parts of <c>Variational&lt;T&gt;</c> for global latents (ADVI): each entry's guide q(u) = Normal(m, exp(ω)²)
    /// on the unconstrained scale, one draw x = transform(u) held in <c>{node}Value</c> where the likelihoods read it as
    /// they read a parameter, and the term KL = log q(u) − log p(x) − log|dx/du| that the whole data set shares: each
    /// row carries 1/Population of it, so its gradient in m and ω is scaled by 1/Population.
    /// </summary>
    internal static class GlobalLatentEmitter
    {
        private const string Hmc = "global::Dsl.Runtime.Hmc";

        public static string LogSdParameter(string node) => $"{node}LogSdParameter";

        public static string PriorGradient(string node) => $"{node}PriorGradient";

        /// <summary>Entries of the node (the product of its plate sizes).</summary>
        public static string Size(ModelSpec spec, GlobalLatent global)
        {
            var node = ExprTools.Find(spec, global.Node)!;
            return node.Indices.Count == 0 ? "1" : string.Join(" * ", node.Indices.Select(i => VariationalNames.Size(i.Plate)));
        }

        /// <summary>Whether the plan has terms the whole data set shares: global latents' KLs or parameters' log priors.</summary>
        public static bool HasGlobalTerms(VariationalPlan plan) => plan.Globals.Count > 0 || plan.Parameters.Any(p => p.Prior is not null);

        public static void EmitFields(SourceWriter w, VariationalPlan plan)
        {
            if (!HasGlobalTerms(plan)) return;
            w.Line("private double globalScale; // 1/Population of the current step: each row's share of the global latents' KLs and the parameters' log priors");
            foreach (var global in plan.Globals)
            {
                w.Line($"private readonly {Neural}.Parameter<T> {Parameter(global.Node)}; // guide mean of {Unconstrained(global)}, line {global.Line}");
                w.Line($"private readonly {Neural}.Parameter<T> {LogSdParameter(global.Node)}; // guide log sd of {Unconstrained(global)}");
                w.Line($"private readonly T[] {Value(global.Node)}; // the held draw of {global.Node}");
                w.Line($"private readonly T[] {Noise(global.Node)};");
                w.Line($"private readonly double[] {PriorGradient(global.Node)}; // ∂KL/∂{global.Node}, scaled by globalScale");
            }
        }

        public static void EmitConstruction(SourceWriter w, ModelSpec spec, VariationalPlan plan)
        {
            foreach (var global in plan.Globals)
            {
                var size = Size(spec, global);
                w.Line($"{Parameter(global.Node)} = parameters.Add(\"{global.Node}.mean\", {size}, decays: false);");
                w.Line($"{LogSdParameter(global.Node)} = parameters.Add(\"{global.Node}.logSd\", {size}, decays: false);");
                w.Line("// The guide starts at u = 0 with sd 0.1: little noise while the likelihood's gradient finds the mean.");
                w.Line($"for (var i = 0; i < {size}; i++) {LogSdParameter(global.Node)}.Value[i] = T.CreateTruncating(-2.302585092994046);");
                w.Line($"{Value(global.Node)} = new T[{size}];");
                w.Line($"{Noise(global.Node)} = new T[{size}];");
                w.Line($"{PriorGradient(global.Node)} = new double[{size}];");
            }
        }

        /// <summary>Inside Prepare's gradients branch: the global latents' partial sums and prior gradients start at zero.</summary>
        public static void EmitClear(SourceWriter w, VariationalPlan plan)
        {
            foreach (var global in plan.Globals)
            {
                w.Line($"global::System.Array.Clear({Partials(global.Node)});");
                w.Line($"global::System.Array.Clear({PriorGradient(global.Node)});");
            }
        }

        /// <summary>
        /// <c>DrawGlobals</c>: x = transform(m + exp(ω)·ε), ε from its own part of the stream (after the encoders' and
        /// trunks'), or ε = 0 (x at the guide's median) without sampling; and <c>SampleGlobals</c> for the fit's draws.
        /// </summary>
        public static void EmitDraw(SourceWriter w, VariationalPlan plan)
        {
            if (plan.Globals.Count == 0)
            {
                w.Line("/// <summary>The model has no global latents: nothing to draw.</summary>");
                w.Line("public void SampleGlobals(ulong seed, ulong stream) { }");
                w.Line();
                return;
            }
            w.Line("/// <summary>One draw of every global latent from its guide (at ε = 0 without sampling), held in its Value array.</summary>");
            using (w.Block("private void DrawGlobals(bool sampling, ulong seed, ulong stream)"))
            {
                foreach (var global in plan.Globals)
                {
                    using (w.Braces())
                    {
                        w.Line($"// {global.Node} = {Transform(global, "u")}, u ~ Normal(mean, exp(logSd)²)");
                        w.Line($"var random = {Variational}.Branches.Stream(seed, stream, {Lowering.VariationalStreams.Guide(global)});");
                        using (w.Block($"for (var i = 0; i < {Value(global.Node)}.Length; i++)"))
                        {
                            w.Line($"{Noise(global.Node)}[i] = sampling ? T.CreateTruncating(random.NextNormal()) : T.Zero;");
                            w.Line($"var u = {Parameter(global.Node)}.Value[i] + T.Exp({LogSdParameter(global.Node)}.Value[i]) * {Noise(global.Node)}[i];");
                            w.Line($"{Value(global.Node)}[i] = {Transform(global, "u")};");
                        }
                    }
                }
            }
            w.Line();
            w.Line("/// <summary>One draw of the global latents from their guides, held for <see cref=\"Sample\"/>.</summary>");
            w.Line("public void SampleGlobals(ulong seed, ulong stream) => DrawGlobals(sampling: true, seed, stream);");
            w.Line();
        }

        /// <summary>KL(global) for the held draw, with ∂KL/∂x of the prior (into this and any global or parameter its arguments read).</summary>
        public static void EmitDivergence(SourceWriter w, ModelSpec spec, GlobalLatent global)
        {
            var node = ExprTools.Find(spec, global.Node)!;
            var code = new VariationalExpr(spec, "");
            w.Line("/// <summary>");
            w.Line($"/// The global latent {global.Node} (line {global.Line}): log q(u) − log {global.Kernel}({global.Node} | {string.Join(", ", global.PriorArguments.Select(a => ExprPrinter.Print(a.Value)))}) − log|d{global.Node}/du|");
            w.Line("/// at the held draw, times rows·scale (its share of this minibatch); the prior's partials, times scale, into PriorGradient.");
            w.Line("/// </summary>");
            using (w.Block($"private double Divergence{global.Node}(int rows, bool gradients, double scale)"))
            {
                w.Line("var sum = 0.0;");
                using (EntryLoops(w, node))
                {
                    w.Line($"var x = double.CreateTruncating({Value(global.Node)}[at]);");
                    w.Line($"var noise = double.CreateTruncating({Noise(global.Node)}[at]);");
                    w.Line($"var logSd = double.CreateTruncating({LogSdParameter(global.Node)}.Value[at]);");
                    w.Line($"var logPrior = {PriorDensity(code, global.Kernel, global.PriorArguments)};");
                    w.Line($"sum += {Variational}.NormalKl.GuideLogDensity(noise, logSd) - logPrior - {LogJacobian(global)};");
                    w.Line("if (!gradients) continue;");
                    w.Line($"{PriorGradient(global.Node)}[at] -= scale * dX;");
                    EmitArgumentPartials(w, spec, code, global.PriorArguments);
                }
                w.Line("return sum * rows * scale;");
            }
            w.Line();
        }

        /// <summary>The runtime's log density of a global node's prior at x, its partials out as dX and d{Argument}.</summary>
        public static string PriorDensity(VariationalExpr code, string kernel, EquatableArray<LikelihoodArgument> arguments) =>
            $"{Hmc}.LogDensity.{kernel}(x, {string.Join(", ", arguments.Select(a => code.Double(a.Value)))}, out var dX, " +
            $"{string.Join(", ", arguments.Select(a => $"out var d{EmitHelpers.Capitalised(a.Name)}"))})";

        /// <summary>
        /// A loop per plate of a global node (one pass for a scalar, so a body's `continue` always has a loop), and
        /// inside it `at`, the entry's row-major position.
        /// </summary>
        public static System.IDisposable EntryLoops(SourceWriter w, NodeSpec node)
        {
            var loops = node.Indices.Count == 0
                ? new[] { w.Block("for (var ldOnce = 0; ldOnce < 1; ldOnce++)") }
                : node.Indices.Select(i => w.Block($"for (var {i.Variable} = 0; {i.Variable} < {VariationalNames.Size(i.Plate)}; {i.Variable}++)")).ToArray();
            w.Line($"var at = {CodeExpr.RowMajor(node.Indices.Select(i => i.Variable).ToList(), node.Indices.Select(i => VariationalNames.Size(i.Plate)).ToList())};");
            return SourceWriter.Nested(loops);
        }

        /// <summary>
        /// −scale times each prior argument's partial (out variable d{Argument}) times its derivative in a parameter or a
        /// global latent, into that node's gradient: a parameter's first chunk of partials, a global's PriorGradient.
        /// </summary>
        public static void EmitArgumentPartials(SourceWriter w, ModelSpec spec, VariationalExpr code, EquatableArray<LikelihoodArgument> arguments)
        {
            foreach (var argument in arguments)
                foreach (var partial in argument.Partials)
                {
                    var target = ExprTools.Find(spec, partial.Target.Node)!;
                    var position = CodeExpr.RowMajor(partial.Target.Indices.Select(code.Index).ToList(), target.Indices.Select(i => VariationalNames.Size(i.Plate)).ToList());
                    var factor = VariationalExpr.IsOne(partial.Derivative) ? "" : $" * double.CreateTruncating({code.Of(partial.Derivative)})";
                    w.Line($"// ∂{argument.Name}/∂{ExprPrinter.Print(partial.Target)} = {ExprPrinter.Print(partial.Derivative)}");
                    // A parameter's share joins its first chunk's partials, which the backward pass sums in chunk order.
                    w.Line(target.Role == NodeRole.Param
                        ? $"{Partials(target.Name)}[{position}] -= T.CreateTruncating(scale * d{EmitHelpers.Capitalised(argument.Name)}{factor});"
                        : $"{PriorGradient(target.Name)}[{position}] -= scale * d{EmitHelpers.Capitalised(argument.Name)}{factor};");
                }
        }

        /// <summary>
        /// The reverse pass into the guide: ∂/∂x sums the likelihoods' chunk partials and the prior's; ∂/∂u = ∂/∂x·dx/du
        /// − scale·d log|dx/du|/du; ∂/∂m = ∂/∂u; ∂/∂ω = ∂/∂u·ε·exp(ω) − scale (the entropy's share).
        /// </summary>
        public static void EmitBackward(SourceWriter w, VariationalPlan plan)
        {
            foreach (var global in plan.Globals)
            {
                w.Line($"// {global.Node} = {Transform(global, "m + exp(ω)·ε")}: into the guide's mean and log sd.");
                using (w.Block($"for (var i = 0; i < {Value(global.Node)}.Length; i++)"))
                {
                    w.Line($"var dX = {PriorGradient(global.Node)}[i];");
                    w.Line($"for (var chunk = 0; chunk < {Variational}.RowChunks.Count; chunk++) dX += double.CreateTruncating({Partials(global.Node)}[chunk * {Value(global.Node)}.Length + i]);");
                    w.Line($"var x = double.CreateTruncating({Value(global.Node)}[i]);");
                    w.Line($"var dU = {DerivativeInU(global)};");
                    w.Line($"{Parameter(global.Node)}.Gradient[i] += T.CreateTruncating(dU);");
                    w.Line($"{LogSdParameter(global.Node)}.Gradient[i] += T.CreateTruncating(dU * double.CreateTruncating({Noise(global.Node)}[i]) * global::System.Math.Exp(double.CreateTruncating({LogSdParameter(global.Node)}.Value[i])) - globalScale);");
                }
            }
        }

        private static string Unconstrained(GlobalLatent global) => global.Transform switch
        {
            LatentTransform.Log => $"u = log {global.Node}",
            LatentTransform.Logit => $"u = logit {global.Node}",
            _ => global.Node,
        };

        private static string Transform(GlobalLatent global, string u) => global.Transform switch
        {
            LatentTransform.Log => u == "u" ? "T.Exp(u)" : $"exp({u})",
            LatentTransform.Logit => u == "u" ? "T.One / (T.One + T.Exp(-u))" : $"logistic({u})",
            _ => u,
        };

        private static string LogJacobian(GlobalLatent global) => global.Transform switch
        {
            LatentTransform.Log => "global::System.Math.Log(x)",
            LatentTransform.Logit => "(global::System.Math.Log(x) + global::System.Math.Log(1 - x))",
            _ => "0",
        };

        private static string DerivativeInU(GlobalLatent global) => global.Transform switch
        {
            LatentTransform.Log => "dX * x - globalScale",
            LatentTransform.Logit => "dX * x * (1 - x) - globalScale * (1 - 2 * x)",
            _ => "dX",
        };

    }
}
