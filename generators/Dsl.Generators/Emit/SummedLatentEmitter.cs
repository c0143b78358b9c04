using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The sampler's code for a discrete latent summed out of the log density (<see cref="SummedLatents"/>): for each
    /// entry, the log weight of every value v, w_v = log p(z = v) + Σ_children log p(child | z = v), enters the log
    /// density as log Σ_v exp(w_v); its gradient is each value's gradient weighted by p(z = v | rest) = exp(w_v − lse).
    /// After sampling, z is drawn from that same conditional at each kept draw.
    /// </summary>
    internal static class SummedLatentEmitter
    {
        private const string Value = "ldV";

        public static string Weights(NodeSpec z) => $"{z.Name}LogWeights";

        /// <summary>How many values the latent takes: its plate's size, or 2 for a 0/1 latent.</summary>
        public static string Values(NodeSpec z, string owner = "") => z.Kind == ValueKind.Index ? owner + CodeExpr.Size(z.IndexPlate!) : "2";

        /// <summary><c>{z}Weights(entry indices)</c>: fills <c>{z}LogWeights</c> with w_v for one entry, at the current latents.</summary>
        public static void EmitWeightsMethod(SourceWriter w, ModelSpec spec, NodeSpec z, IReadOnlyList<NodeSpec> children, System.Action<SourceWriter> locals)
        {
            w.Line($"/// <summary>log p({z.Name} = v) + Σ log p(children | {z.Name} = v) for every value v of one entry of {z.Name} (line {z.Declaration.Location.Line}).</summary>");
            using (w.Block($"private void {z.Name}Weights({string.Join(", ", z.Indices.Select(i => $"int {i.Variable}"))})"))
            {
                locals(w);
                var reverse = new ReverseMode(w, spec);
                using (w.Block($"for (var {Value} = 0; {Value} < {Values(z)}; {Value}++)"))
                {
                    var scope = Scope(z);
                    var total = reverse.Local("Total", reverse.Of(PriorLog(spec, z), scope));
                    foreach (var child in children)
                        using (w.Braces())
                        using (ChildLoops(w, spec, z, child, out var renamed))
                        {
                            var inner = new ReverseMode.Scope(scope.Variables.Keys.Concat(renamed.Extra));
                            DensityTerm(w, spec, reverse, z, child, renamed, inner, total, null);
                        }
                    w.Line($"{Weights(z)}[{Value}] = {total};");
                }
            }
            w.Line();
        }

        /// <summary>The entries' log Σ_v exp(w_v) added to the log density, and each value's gradient weighted by its conditional probability.</summary>
        public static void EmitTerm(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec z, IReadOnlyList<NodeSpec> children)
        {
            w.Line($"// {z.Name} summed out: log Σ_v p({z.Name} = v) Π p({string.Join(", ", children.Select(c => c.Name))} | {z.Name} = v) per entry (line {z.Declaration.Location.Line})");
            using (w.Braces())
            using (BindingEmitter.Loops(w, z.Indices))
            {
                w.Line($"{z.Name}Weights({string.Join(", ", z.Indices.Select(i => i.Variable))});");
                var total = reverse.Local("LogSum", $"{SamplingEmitter.Hmc}.LogDensity.LogSumExp({Weights(z)})");
                w.Line($"logDensity += {total};");
                using (w.Block($"for (var {Value} = 0; {Value} < {Values(z)}; {Value}++)"))
                {
                    var scope = Scope(z);
                    var share = reverse.Local("Share", $"global::System.Math.Exp({Weights(z)}[{Value}] - {total})");
                    // A value of probability zero (a count where a dropout allows only zeros) adds nothing, and its partials may be infinite.
                    w.Line($"if ({share} == 0) continue;");
                    reverse.Accumulate(PriorLog(spec, z), share, scope);
                    foreach (var child in children)
                        using (w.Braces())
                        using (ChildLoops(w, spec, z, child, out var renamed))
                        {
                            var inner = new ReverseMode.Scope(scope.Variables.Keys.Concat(renamed.Extra));
                            DensityTerm(w, spec, reverse, z, child, renamed, inner, null, share);
                        }
                }
            }
        }

        /// <summary>Draws each entry of z from its conditional at the current latents (TryReadLatent's case for z).</summary>
        public static void EmitDraw(SourceWriter w, NodeSpec z)
        {
            using (BindingEmitter.Loops(w, z.Indices))
            {
                w.Line($"{z.Name}Weights({string.Join(", ", z.Indices.Select(i => i.Variable))});");
                w.Line($"destination[{ReverseMode.Position(z)}] = global::Dsl.Runtime.Sampling.Categorical.SampleRow({Weights(z)}, ref random);");
            }
        }

        /// <summary>Fills destination[entry · values + v] with p(z = v | rest) = exp(w_v − log Σ exp w) (TryReadConditional's case for z).</summary>
        public static void EmitConditional(SourceWriter w, NodeSpec z)
        {
            using (BindingEmitter.Loops(w, z.Indices))
            {
                w.Line($"{z.Name}Weights({string.Join(", ", z.Indices.Select(i => i.Variable))});");
                w.Line($"var ldLogSum = {SamplingEmitter.Hmc}.LogDensity.LogSumExp({Weights(z)});");
                w.Line($"for (var {Value} = 0; {Value} < {Weights(z)}.Length; {Value}++) destination[({ReverseMode.Position(z)}) * {Weights(z)}.Length + {Value}] = global::System.Math.Exp({Weights(z)}[{Value}] - ldLogSum);");
            }
        }

        private static ReverseMode.Scope Scope(NodeSpec z) => new(z.Indices.Select(i => i.Variable).Append(Value));

        /// <summary>The child's log density at z = v: the kernel call, and with a share, its partials sent back scaled by it.</summary>
        private static void DensityTerm(SourceWriter w, ModelSpec spec, ReverseMode reverse, NodeSpec z, NodeSpec child, Renaming renamed,
            ReverseMode.Scope scope, string? target, string? share)
        {
            Expr AtValue(Expr e) => ExprTools.Substitute(ExprTools.ReplaceCalls(e, z.Name, new IndexExpr(Value, e.Location)), renamed.Map);
            if (child.Declaration.Distribution!.Name is "Categorical" or "Multinomial")
            {
                // A categorical child (a topic's word, p: (Word v) => phi(z(t), v)) or a multinomial row (a document's
                // counts, p: phi(z(d), v)) has no scalar kernel: its log probability is an expression.
                var logProbability = AtValue(child.Declaration.Distribution.Name == "Multinomial" ? MultinomialRow(spec, child) : LogProbability(spec, child, ExprTools.OwnCall(child)));
                if (target is not null) w.Line($"{target} += {reverse.Of(logProbability, scope)};");
                if (share is not null) reverse.Accumulate(logProbability, share, scope);
                return;
            }
            var self = new NodeCallExpr(child.Name, child.Indices.Select(i => renamed.Map[i.Variable]).ToEquatableArray(), child.Declaration.Location);
            var arguments = SamplingEmitter.Arguments(spec, child).Select(AtValue).ToList();
            var partials = SamplingEmitter.DensityCall(w, reverse, child, arguments, scope, reverse.Of(self, scope), target);
            if (share is null) return;
            for (var a = 0; a < arguments.Count; a++)
                reverse.Accumulate(arguments[a], reverse.Local("Adj", $"{share} * {partials[a + 1]}"), scope);
        }

        /// <summary>The child's index variables renamed: those it reads z at become z's, the others fresh loop variables.</summary>
        private sealed class Renaming
        {
            public Dictionary<string, Expr> Map { get; } = new();
            public List<string> Extra { get; } = new();
        }

        /// <summary>
        /// log p(x_row | p) of a multinomial row over its plate j, up to the multinomial coefficient (which no latent
        /// reads): Σ_j x_j log p_j − (Σ_j x_j) log Σ_j p_j, the weights normalised as the kernel normalises them.
        /// </summary>
        private static Expr MultinomialRow(ModelSpec spec, NodeSpec child)
        {
            var row = RowAxis(child)!;
            var at = child.Declaration.Distribution!.Location;
            var p = ExprTools.Argument(child, "p", spec)!;
            Expr Sum(Expr body) => new SumExpr(new LambdaExpr(row.Variable, row.Plate, body, at), at);
            Expr Log(Expr e) => new FunctionExpr("Log", EquatableArray.Of(e), at);
            var count = ExprTools.OwnCall(child);
            return new BinaryExpr('-', Sum(new BinaryExpr('*', count, Log(p), at)), new BinaryExpr('*', Sum(count), Log(Sum(p)), at), at);
        }

        /// <summary>The plate a vector child ranges over (a multinomial row's items): summed inside its log probability, not looped over.</summary>
        private static IndexDecl? RowAxis(NodeSpec child) =>
            child.Declaration.Distribution!.Over is { } over ? child.Indices.FirstOrDefault(i => i.Variable == over || i.Plate == over) : null;

        private static System.IDisposable ChildLoops(SourceWriter w, ModelSpec spec, NodeSpec z, NodeSpec child, out Renaming renamed)
        {
            renamed = new Renaming();
            var call = SamplingEmitter.Arguments(spec, child).SelectMany(ExprTools.Calls).First(c => c.Node == z.Name);
            var loops = new List<IndexDecl>();
            foreach (var index in child.Indices.Where(i => i != RowAxis(child)))
            {
                var at = call.Indices.Select((e, i) => (e, i)).Where(p => p.e is IndexExpr v && v.Name == index.Variable).Select(p => p.i).DefaultIfEmpty(-1).First();
                var name = at >= 0 ? z.Indices[at].Variable : $"ldC{loops.Count + 1}";
                renamed.Map[index.Variable] = new IndexExpr(name, index.Location);
                if (at >= 0) continue;
                renamed.Extra.Add(name);
                loops.Add(new IndexDecl(name, index.Plate, index.Location));
            }
            return BindingEmitter.Loops(w, loops);
        }

        /// <summary>log p(z = v) as an expression of v (the loop variable) and the prior's arguments.</summary>
        private static Expr PriorLog(ModelSpec spec, NodeSpec z) => LogProbability(spec, z, new IndexExpr(Value, z.Declaration.Location));

        /// <summary>
        /// log p(node = v) of a Categorical or Bernoulli node as an expression of <paramref name="v"/> and the
        /// distribution's arguments: a summed latent's value, or an observed node's own entry.
        /// </summary>
        public static Expr LogProbability(ModelSpec spec, NodeSpec z, Expr v)
        {
            var distribution = z.Declaration.Distribution!;
            var argument = distribution.Arguments[0];
            var at = distribution.Location;
            Expr Log(Expr e) => new FunctionExpr("Log", EquatableArray.Of(e), at);
            Expr Binary(char op, Expr a, Expr b) => new BinaryExpr(op, a, b, at);
            Expr One() => new ConstantExpr(1, at);
            if (argument.Value is LambdaExpr lambda)
            {
                // Categorical over a plate: probabilities proportional to p(k), or a softmax of logit(k).
                var body = ExprTools.Inline(lambda.Body, spec);
                var atValue = ExprTools.Substitute(body, new Dictionary<string, Expr> { [lambda.Variable] = v });
                return argument.Name == "logit"
                    ? Binary('-', atValue, Log(new SumExpr(lambda with { Body = new FunctionExpr("Exp", EquatableArray.Of(body), at) }, at)))
                    : Binary('-', Log(atValue), Log(new SumExpr(lambda with { Body = body }, at)));
            }
            var e = ExprTools.Inline(argument.Value, spec);
            // Bernoulli: v·log p + (1 − v)·log(1 − p), or v·logit − softplus(logit).
            return argument.Name == "logit"
                ? Binary('-', Binary('*', v, e), new FunctionExpr("Softplus", EquatableArray.Of(e), at))
                : Binary('+', Binary('*', v, Log(e)), Binary('*', Binary('-', One(), v), Log(Binary('-', One(), e))));
        }
    }
}
