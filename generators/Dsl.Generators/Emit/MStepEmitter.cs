using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.GibbsNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Emits <c>{Model}.MStep.g.cs</c>: closed-form Normal hyperparameters (URSM eq 3.6), then, per remaining
    /// parameter, an objective made of the terms the plan found (each differentiated by its rule, eq 3.9) maximised by
    /// projected gradient ascent onto the parameter's feasible set (eq 3.7-3.8).
    /// </summary>
    internal static class MStepEmitter
    {
        private const string Inference = "global::Dsl.Runtime.Inference";
        private const string MStep = "global::Dsl.Runtime.Inference.MStep";

        public static GeneratedFile Emit(ModelSpec spec, GibbsPlan plan, Lowering.GibbsSchedule schedule)
        {
            var w = EmitHelpers.Header("M-step", spec.Namespace, spec.ClassName);
            using (w.Block($"partial class {spec.ClassName}"))
            {
                foreach (var update in plan.Gradients) w.Line($"private readonly {MStep}.ProjectedGradientAscent {Ascent(update)} = new();");
                w.Line();
                w.Line("/// <summary>");
                w.Line("/// Closed forms first, then projected gradient ascent per parameter. Returns the Monte Carlo estimate of the");
                w.Line("/// parameter-dependent part of the expected complete log-likelihood at the new parameters.");
                w.Line("/// </summary>");
                using (w.Block($"public double MaximiseParameters({Inference}.MStepSettings settings)"))
                {
                    w.Line("if (recordedSweeps == 0) throw new global::System.InvalidOperationException(\"the M-step needs at least one recorded sweep\");");
                    w.Line("var value = 0.0;");
                    foreach (var latent in plan.ClosedForms.Select(c => c.Latent).Distinct()) w.Line($"value += Update{EmitHelpers.Capitalised(latent)}Prior();");
                    foreach (var update in plan.Gradients) w.Line($"value += Maximise{EmitHelpers.Capitalised(update.Parameter)}(settings);");
                    w.Line("return value;");
                }
                w.Line();
                foreach (var group in plan.ClosedForms.GroupBy(c => c.Latent)) EmitClosedForm(w, spec, group.Key, group.ToList());
                foreach (var update in plan.Gradients) EmitGradient(w, spec, plan, schedule, update);
            }
            return new GeneratedFile($"{spec.ClassName}.MStep.g.cs", w.ToString());
        }

        private static void EmitClosedForm(SourceWriter w, ModelSpec spec, string latent, List<ClosedFormUpdate> updates)
        {
            var node = ExprTools.Find(spec, latent)!;
            var code = new CodeExpr(spec, new Dictionary<string, string>());
            var mean = ExprTools.Argument(node, "mean", spec)!;
            var sd = ExprTools.Argument(node, "sd", spec)!;
            w.Line($"/// <summary>{latent} ~ Normal (line {node.Declaration.Location.Line}): {string.Join(" and ", updates.Select(u => $"{u.Parameter} is its {(u.Kind == ClosedFormKind.Mean ? "mean" : "variance")}"))}, in closed form.</summary>");
            using (w.Block($"private double Update{EmitHelpers.Capitalised(latent)}Prior()"))
            {
                w.Line($"var count = (double){Sum(latent)}.Length;");
                w.Line("if (count == 0) return 0; // a submodel without this latent's plate: nothing informs its hyperparameters");
                w.Line("var first = 0.0;");
                w.Line("var second = 0.0;");
                using (w.Block($"for (var n = 0; n < {Sum(latent)}.Length; n++)"))
                {
                    w.Line($"first += {Sum(latent)}[n];");
                    w.Line($"second += {SquareSum(latent)}[n];");
                }
                w.Line("first /= recordedSweeps * count;");
                w.Line("second /= recordedSweeps * count;");
                foreach (var u in updates.Where(u => u.Kind == ClosedFormKind.Mean)) w.Line($"{u.Parameter}Values = first;");
                w.Line($"var mean = {code.Of(mean)};");
                foreach (var u in updates.Where(u => u.Kind == ClosedFormKind.Variance))
                {
                    var floor = ExprTools.Find(spec, u.Parameter)!.Declaration.Constraints.Floor ?? 1e-12;
                    w.Line($"{u.Parameter}Values = global::System.Math.Max(second - 2 * mean * first + mean * mean, {CodeExpr.Number(floor)});");
                }
                w.Line($"var variance = {code.Variance(sd)};");
                w.Line("return -0.5 * count * (global::System.Math.Log(2 * global::System.Math.PI * variance) + (second - 2 * mean * first + mean * mean) / variance);");
            }
            w.Line();
        }

        private static void EmitGradient(SourceWriter w, ModelSpec spec, GibbsPlan plan, Lowering.GibbsSchedule schedule, GradientUpdate update)
        {
            var p = update.Parameter;
            var objective = $"{p}Objective";
            var scalar = update.Indices.Count == 0;
            w.Line($"/// <summary>{p} (line {update.Line}): projected gradient ascent with backtracking on {string.Join(", ", update.Terms.Select(t => t.Kind))}.</summary>");
            using (w.Block($"private double Maximise{EmitHelpers.Capitalised(p)}({Inference}.MStepSettings settings)"))
            {
                w.Line($"{Ascent(update)}.MaxIterations = settings.GradientIterations;");
                w.Line($"var objective = new {objective}(this, settings.PlugInNormaliser{(RunsInParallel(update) ? ", settings.Parallelism" : "")});");
                if (scalar)
                {
                    w.Line($"var values = new[] {{ {p}Values }};");
                    w.Line($"var value = {Ascent(update)}.Maximise(objective, values);");
                    w.Line($"{p}Values = values[0];");
                    w.Line("return value;");
                }
                else
                {
                    w.Line($"return {Ascent(update)}.Maximise(objective, {Inference}.ParameterArrays.Flat({p}Values));");
                }
            }
            w.Line();
            foreach (var term in update.Terms) EmitTermStatistics(w, spec, plan, schedule, update, term);
            EmitObjectiveClass(w, spec, plan, update);
        }

        /// <summary>Per term, the statistic the objective needs, gathered once per M-step from the E-step's sums.</summary>
        private static void EmitTermStatistics(SourceWriter w, ModelSpec spec, GibbsPlan plan, Lowering.GibbsSchedule schedule, GradientUpdate update, GradientTerm term)
        {
            var name = Map(update, term);
            var p = update.Parameter;
            switch (term.Kind)
            {
                case GradientTermKind.AllocationProfile:
                {
                    var b = plan.Allocations[term.Block];
                    var vars = Vars(b.Mixture, b.Element, b.Replicate);
                    var code = new CodeExpr(spec, vars);
                    var entry = $"{b.Mixture.Variable} * {CodeExpr.Size(b.Element.Plate)} + {b.Element.Variable}";
                    w.Line($"/// <summary>Block {b.Id}: per ({b.Mixture.Plate}, {b.Element.Plate}) entry, the entry of {p} its profile reads and E[allocation counts] summed over {b.Replicate.Plate}.</summary>");
                    using (w.Block($"private (int[] Map, double[] Weights) {name}()"))
                    {
                        w.Line($"var map = new int[{CodeExpr.Size(b.Mixture.Plate)} * {CodeExpr.Size(b.Element.Plate)}];");
                        w.Line("var weights = new double[map.Length];");
                        using (Loop(w, b.Mixture))
                        using (Loop(w, b.Element))
                        {
                            w.Line($"map[{entry}] = {code.FlatIndex(term.Access)};");
                            using (Loop(w, b.Replicate))
                                w.Line($"weights[{entry}] += {AllocationSum(b)}[({b.Replicate.Variable} * {CodeExpr.Size(b.Mixture.Plate)} + {b.Mixture.Variable}) * {CodeExpr.Size(b.Element.Plate)} + {b.Element.Variable}] / recordedSweeps;");
                        }
                        w.Line("return (map, weights);");
                    }
                    w.Line();
                    EmitEntryValues(w, spec, update, term, [b.Mixture, b.Element], entry, vars, $"profile in block {b.Id}");
                    break;
                }
                case GradientTermKind.DirichletConcentration:
                {
                    var b = plan.Allocations[term.Block];
                    var code = new CodeExpr(spec, Vars(b.Mixture, b.Replicate));
                    var (k, r, components) = (b.Mixture.Variable, b.Replicate.Variable, CodeExpr.Size(b.Mixture.Plate));
                    w.Line(b.ConcentrationPerReplicate
                        ? $"/// <summary>Block {b.Id}: which entry of {p} each ({b.Replicate.Plate}, {b.Mixture.Plate}) concentration reads, and E[log {b.Latent}] there.</summary>"
                        : $"/// <summary>Block {b.Id}: which entry of {p} each {b.Mixture.Plate} component's concentration is, and sum over replicates of E[log {b.Latent}].</summary>");
                    using (w.Block($"private (int[] Map, double[] SumLog) {name}()"))
                    {
                        if (b.ConcentrationPerReplicate)
                        {
                            w.Line($"var map = new int[{CodeExpr.Size(b.Replicate.Plate)} * {components}];");
                            w.Line("var sumLog = new double[map.Length];");
                            using (Loop(w, b.Replicate))
                            using (Loop(w, b.Mixture))
                            {
                                w.Line($"map[{r} * {components} + {k}] = {code.FlatIndex(term.Access)};");
                                w.Line($"sumLog[{r} * {components} + {k}] = {LogSum(b.Latent)}[{r} * {components} + {k}] / recordedSweeps;");
                            }
                        }
                        else
                        {
                            w.Line($"var map = new int[{components}];");
                            w.Line("var sumLog = new double[map.Length];");
                            using (Loop(w, b.Mixture))
                            {
                                w.Line($"map[{k}] = {code.FlatIndex(term.Access)};");
                                using (Loop(w, b.Replicate))
                                    w.Line($"sumLog[{k}] += {LogSum(b.Latent)}[{r} * map.Length + {k}] / recordedSweeps;");
                            }
                        }
                        w.Line("return (map, sumLog);");
                    }
                    w.Line();
                    EmitConcentrationTerm(w, spec, b, update, term);
                    break;
                }
                case GradientTermKind.CrossedPrior:
                    CrossedBlockEmitter.EmitPriorTerm(w, spec, plan.Crossed[term.Block], term, name, Likelihood(update, term));
                    break;
                case GradientTermKind.ParameterPrior:
                    MStepPriorEmitter.Emit(w, spec, update, term, name, Likelihood(update, term));
                    break;
                case GradientTermKind.LatentPrior:
                {
                    var b = plan.Logistics[term.Block];
                    SliceBlockEmitter.EmitPriorTerm(w, spec, b, term, Likelihood(update, term));
                    var code = new CodeExpr(spec, ExprTools.Find(spec, b.Response)!.Indices.ToDictionary(i => i.Variable, i => i.Variable));
                    w.Line($"/// <summary>Block {b.Id}: for each {b.Replicate?.Plate ?? "single replicate"}, the entry of {p} the prior of {term.Latent} reads.</summary>");
                    using (w.Block($"private int[] {name}()"))
                    {
                        w.Line($"var map = new int[{Replicates(b)}];");
                        using (Loop(w, b.Replicate))
                            w.Line($"map[{ReplicateIndex(b)}] = {code.FlatIndex(term.Access)};");
                        w.Line("return map;");
                    }
                    break;
                }
                default:
                {
                    var b = plan.Logistics[term.Block];
                    if (term.Kind == GradientTermKind.BinaryLikelihood) SliceBlockEmitter.EmitLikelihood(w, spec, b, term, Likelihood(update, term), GibbsEmitter.Hoisted(spec, b, schedule));
                    var vars = ExprTools.Find(spec, b.Response)!.Indices.ToDictionary(i => i.Variable, i => i.Variable);
                    var code = new CodeExpr(spec, vars);
                    w.Line($"/// <summary>Block {b.Id}: for each ({b.Replicate?.Plate ?? "single replicate"}, {b.Element.Plate}) entry, the entry of {p} it reads.</summary>");
                    using (w.Block($"private int[] {name}()"))
                    {
                        w.Line($"var map = new int[{Replicates(b)} * {CodeExpr.Size(b.Element.Plate)}];");
                        using (Loop(w, b.Replicate))
                        using (Loop(w, b.Element))
                            w.Line($"map[{ReplicateIndex(b)} * {CodeExpr.Size(b.Element.Plate)} + {b.Element.Variable}] = {code.FlatIndex(term.Access)};");
                        w.Line("return map;");
                    }
                    if (!ReadsEntryValues(term)) break;
                    w.Line();
                    var what = term.Kind == GradientTermKind.NormalisedWeight ? $"weight in {b.Child!.Observed}" : $"term of {b.Response}'s logit";
                    EmitEntryValues(w, spec, update, term, [b.Replicate, b.Element], $"{ReplicateIndex(b)} * {CodeExpr.Size(b.Element.Plate)} + {b.Element.Variable}", vars, what);
                    break;
                }
            }
            w.Line();
        }

        private static void EmitObjectiveClass(SourceWriter w, ModelSpec spec, GibbsPlan plan, GradientUpdate update)
        {
            var p = update.Parameter;
            var model = spec.ClassName;
            w.Line($"/// <summary>The part of the expected complete log-likelihood that depends on {p}, its gradient and its feasible set (internal: the model's own assembly checks the gradient).</summary>");
            using (w.Block($"internal sealed class {p}Objective : {MStep}.IProjectedObjective"))
            {
                var parallel = RunsInParallel(update);
                w.Line($"private readonly {model} model;");
                if (parallel) w.Line("private readonly global::System.Threading.Tasks.ParallelOptions parallelism; // the Monte Carlo likelihood's threads");
                foreach (var term in update.Terms) foreach (var line in FieldFor(term)) w.Line(line);
                w.Line();
                using (w.Block($"public {p}Objective({model} model, bool plugIn{(parallel ? ", global::System.Threading.Tasks.ParallelOptions? parallelism = null" : "")})"))
                {
                    w.Line("this.model = model;");
                    if (parallel) w.Line("this.parallelism = parallelism ?? new();");
                    foreach (var term in update.Terms) foreach (var line in InitialiseField(plan, update, term)) w.Line(line);
                }
                w.Line();
                w.Line($"public int Length => {(update.Indices.Count == 0 ? "1" : $"model.{p}Values.Length")};");
                w.Line();
                w.Line("public double Value(global::System.ReadOnlySpan<double> x) => Gradient(x, default);");
                w.Line();
                using (w.Block("public double Gradient(global::System.ReadOnlySpan<double> x, global::System.Span<double> gradient)"))
                {
                    w.Line("gradient.Clear();");
                    w.Line("var value = 0.0;");
                    if (update.Terms.Any(ReadsEntryValues)) w.Line("var withGradient = !gradient.IsEmpty;");
                    foreach (var term in update.Terms) EmitTermCall(w, spec, plan, update, term);
                    w.Line("return value;");
                }
                w.Line();
                using (w.Block("public void Project(global::System.Span<double> x)"))
                    EmitProjection(w, spec, update);
                w.Line();
                using (w.Block("public void Precondition(global::System.ReadOnlySpan<double> x, global::System.Span<double> direction)"))
                    EmitPrecondition(w, update);
            }
            w.Line();
        }

        private static string Field(GradientTerm term) => $"{char.ToLowerInvariant(term.Kind.ToString()[0])}{term.Kind.ToString().Substring(1)}{term.Block}{term.Latent}";

        private static IEnumerable<string> FieldFor(GradientTerm term)
        {
            switch (term.Kind)
            {
                case GradientTermKind.AllocationProfile:
                    yield return $"private readonly (int[] Map, double[] Weights) {Field(term)};";
                    foreach (var line in EntryValueFields(term)) yield return line;
                    break;
                case GradientTermKind.DirichletConcentration:
                    yield return $"private readonly (int[] Map, double[] SumLog) {Field(term)};";
                    break;
                case GradientTermKind.NormalisedWeight:
                    yield return $"private readonly int[] {Field(term)};";
                    yield return $"private readonly {MStep}.NormalisedWeightsMonteCarlo? {Field(term)}Samples; // null with the plug-in normaliser";
                    yield return $"private readonly double[]? {Field(term)}Means; // the plug-in normaliser's posterior means, null without it";
                    foreach (var line in EntryValueFields(term)) yield return line;
                    break;
                case GradientTermKind.PolyaGammaCoefficient:
                    yield return $"private readonly int[] {Field(term)};";
                    foreach (var line in EntryValueFields(term)) yield return line;
                    break;
                default:
                    yield return $"private readonly int[] {Field(term)};";
                    break;
            }
        }

        /// <summary>
        /// Whether a term is a function of per-entry values g of an expression of the parameter, computed by a generated
        /// method, its gradient carried to the parameter by the chain rule (the others differentiate inside their own method).
        /// </summary>
        private static bool ReadsEntryValues(GradientTerm term) =>
            term.Kind is GradientTermKind.NormalisedWeight or GradientTermKind.PolyaGammaCoefficient or GradientTermKind.AllocationProfile;

        /// <summary>Per entry of a term that is a function of values g computed from the parameter: g, ∂g/∂P and ∂objective/∂g.</summary>
        private static IEnumerable<string> EntryValueFields(GradientTerm term)
        {
            yield return $"private readonly double[] {Field(term)}Values, {Field(term)}Slopes, {Field(term)}Adjoint; // per entry: g = {ExprPrinter.Print(term.Within!)}, ∂g/∂{term.Access.Node}, ∂objective/∂g";
        }

        /// <summary>
        /// The constructor's lines for a term: its map or statistics, and for a normalised weight also the Monte Carlo
        /// term or the plug-in means, built once here because the line search's evaluations only read them.
        /// </summary>
        private static IEnumerable<string> InitialiseField(GibbsPlan plan, GradientUpdate update, GradientTerm term)
        {
            yield return $"{Field(term)} = model.{Map(update, term)}();";
            var length = term.Kind == GradientTermKind.AllocationProfile ? $"{Field(term)}.Map.Length" : $"{Field(term)}.Length";
            if (ReadsEntryValues(term))
                yield return $"({Field(term)}Values, {Field(term)}Slopes, {Field(term)}Adjoint) = (new double[{length}], new double[{length}], new double[{length}]);";
            if (term.Kind != GradientTermKind.NormalisedWeight) yield break;
            var b = plan.Logistics[term.Block];
            yield return $"if (!plugIn) {Field(term)}Samples = new {MStep}.NormalisedWeightsMonteCarlo(model.{Counts(b.Child!.Observed)}, " +
                $"model.{CodeExpr.Size(b.Element.Plate)}, model.{Samples(b)}, model.recordedSweeps);";
            yield return $"else {Field(term)}Means = model.{PlugInMeans(b)}();";
        }

        private static void EmitTermCall(SourceWriter w, ModelSpec spec, GibbsPlan plan, GradientUpdate update, GradientTerm term)
        {
            var f = Field(term);
            switch (term.Kind)
            {
                case GradientTermKind.AllocationProfile:
                    w.Line($"// Block {term.Block}: sum E[allocation] log g, g = {ExprPrinter.Print(term.Within!)} (eq 3.9, first term); its gradient reaches {term.Access.Node} through ∂g/∂{ExprPrinter.Print(term.Access)}.");
                    w.Line($"model.{Likelihood(update, term)}(x, {f}.Map, {f}Values, withGradient ? {f}Slopes : null);");
                    w.Line($"value += {MStep}.ObjectiveTerms.WeightedLog({f}Values, {f}.Weights, withGradient ? {f}Adjoint : default);");
                    w.Line($"if (withGradient) {MStep}.ObjectiveTerms.ChainRule({f}Adjoint, {f}Slopes, {f}.Map, gradient);");
                    break;
                case GradientTermKind.DirichletConcentration:
                {
                    var b = plan.Allocations[term.Block];
                    w.Line($"// Block {term.Block}: the Dirichlet log-density of {b.Latent} (eq 3.9, the alpha gradient).");
                    w.Line($"value += model.{Likelihood(update, term)}(x, {f}, gradient);");
                    break;
                }
                case GradientTermKind.PolyaGammaCoefficient:
                {
                    var b = plan.Logistics[term.Block];
                    w.Line($"// Block {term.Block}: E[(y - 1/2) psi - omega psi^2 / 2] of {b.Response}, quadratic in g = {ExprPrinter.Print(term.Within!)}; its gradient");
                    w.Line($"// reaches {term.Access.Node} through ∂g/∂{ExprPrinter.Print(term.Access)}.");
                    w.Line($"model.{Likelihood(update, term)}(x, {f}, {f}Values, withGradient ? {f}Slopes : null);");
                    w.Line($"value += {MStep}.ObjectiveTerms.Quadratic({f}Values, model.{PgLinear(b, term.Access.Node)}, model.{PgQuadratic(b, term.Access.Node)}, 1.0 / model.recordedSweeps, withGradient ? {f}Adjoint : default);");
                    w.Line($"if (withGradient) {MStep}.ObjectiveTerms.ChainRule({f}Adjoint, {f}Slopes, {f}, gradient);");
                    break;
                }
                case GradientTermKind.BinaryLikelihood:
                {
                    var b = plan.Logistics[term.Block];
                    w.Line($"// Block {term.Block}: E[log p({b.Response} | its probability)] by Monte Carlo over the recorded sweeps.");
                    w.Line($"value += model.{Likelihood(update, term)}(x, {f}, gradient, parallelism);");
                    break;
                }
                case GradientTermKind.LatentPrior:
                case GradientTermKind.CrossedPrior:
                    w.Line($"// {(term.Kind == GradientTermKind.CrossedPrior ? "Crossed block" : "Block")} {term.Block}: E[log prior({term.Latent})] by Monte Carlo over the recorded sweeps.");
                    w.Line($"value += model.{Likelihood(update, term)}(x, {f}, gradient);");
                    break;
                case GradientTermKind.ParameterPrior:
                    w.Line($"// The declared prior of the parameter {term.Latent}: its log density at the current values (a MAP estimate).");
                    w.Line($"value += model.{Likelihood(update, term)}(x, {f}, gradient);");
                    break;
                default:
                {
                    var b = plan.Logistics[term.Block];
                    var width = $"model.{CodeExpr.Size(b.Element.Plate)}";
                    var counts = $"model.{Counts(b.Child!.Observed)}";
                    w.Line($"// Block {term.Block}: E[log p({b.Child.Observed} | {b.Response})] at the weights w = {ExprPrinter.Print(term.Within!)}, by Monte Carlo over the");
                    w.Line($"// recorded sweeps or by the plug-in E[{b.Response}]; its gradient reaches {term.Access.Node} through ∂w/∂{ExprPrinter.Print(term.Access)}.");
                    w.Line($"model.{Likelihood(update, term)}(x, {f}, {f}Values, withGradient ? {f}Slopes : null);");
                    w.Line($"if (withGradient) global::System.Array.Clear({f}Adjoint);");
                    w.Line($"value += {f}Samples?.Evaluate({f}Values, withGradient ? {f}Adjoint : null)");
                    w.Line($"    ?? {MStep}.ObjectiveTerms.NormalisedWeightsPlugIn({f}Values, {counts}, {width}, {f}Means!, withGradient ? {f}Adjoint : default);");
                    w.Line($"if (withGradient) {MStep}.ObjectiveTerms.ChainRule({f}Adjoint, {f}Slopes, {f}, gradient);");
                    break;
                }
            }
        }

        /// <summary>
        /// The Dirichlet term's concentrations a_k and their derivatives in the parameter's entry, both from the
        /// declaration's concentration expression with the entry in place of the parameter (the derivative symbolic).
        /// </summary>
        private static void EmitConcentrationTerm(SourceWriter w, ModelSpec spec, AllocationBlock b, GradientUpdate update, GradientTerm term)
        {
            var p = update.Parameter;
            var entry = new IndexExpr($"{p}_value", term.Access.Location);
            var vars = Vars(b.Mixture, b.Replicate);
            vars[entry.Name] = entry.Name;
            var code = new CodeExpr(spec, vars);
            var within = term.Within!;
            var slope = Differentiation.Derivative(within, term.Access);
            var (k, r, components) = (b.Mixture.Variable, b.Replicate.Variable, CodeExpr.Size(b.Mixture.Plate));
            var perReplicate = b.ConcentrationPerReplicate;
            w.Line($"/// <summary>Block {b.Id}: log Dirichlet({b.Latent} | a) with a_{k}{(perReplicate ? r : "")} = {ExprPrinter.Print(within)}{(perReplicate ? $", one set per {b.Replicate.Plate}" : "")}, so ∂a_{k}{(perReplicate ? r : "")}/∂{ExprPrinter.Print(term.Access)} = {ExprPrinter.Print(slope)}.</summary>");
            using (w.Block($"private double {Likelihood(update, term)}(global::System.ReadOnlySpan<double> x, (int[] Map, double[] SumLog) statistics, global::System.Span<double> gradient)"))
            {
                w.Line("var concentration = new double[statistics.Map.Length];");
                w.Line("var slope = new double[statistics.Map.Length];");
                var position = perReplicate ? $"{r} * {components} + {k}" : k;
                using (Loop(w, perReplicate ? b.Replicate : null))
                using (w.Block($"for (var {k} = 0; {k} < {components}; {k}++)"))
                {
                    w.Line($"var {entry.Name} = x[statistics.Map[{position}]];");
                    w.Line($"concentration[{position}] = {code.Of(ExprTools.ReplaceCalls(within, p, entry))};");
                    w.Line($"slope[{position}] = {code.Of(ExprTools.ReplaceCalls(slope, p, entry))};");
                }
                // A set per replicate counts once; one shared set stands for every replicate.
                w.Line($"return {MStep}.ObjectiveTerms.DirichletLogDensity(concentration, slope, statistics.Map, {components}, {(perReplicate ? "1" : CodeExpr.Size(b.Replicate.Plate))}, statistics.SumLog, gradient);");
            }
        }

        /// <summary>
        /// Per entry of a term's loops, the value g the term is a function of (a mixture profile, a normalised
        /// multinomial's weight, the expression a logit is affine in) with the parameter's entry taken from x, and its
        /// derivative there, both from the declaration's expression (the derivative symbolic).
        /// </summary>
        private static void EmitEntryValues(SourceWriter w, ModelSpec spec, GradientUpdate update, GradientTerm term, IReadOnlyList<IndexDecl?> loops, string position,
            Dictionary<string, string> vars, string what)
        {
            var p = update.Parameter;
            var entry = new IndexExpr($"{p}_value", term.Access.Location);
            var code = new CodeExpr(spec, new Dictionary<string, string>(vars) { [entry.Name] = entry.Name });
            var within = term.Within!;
            var slope = Differentiation.Derivative(within, term.Access);
            var plates = string.Join(", ", loops.Select(l => l?.Plate ?? "single replicate"));
            w.Line($"/// <summary>Each ({plates}) entry's {what}, g = {ExprPrinter.Print(within)} with {p}'s entry from x, and ∂g/∂{ExprPrinter.Print(term.Access)} = {ExprPrinter.Print(slope)}.</summary>");
            using (w.Block($"private void {Likelihood(update, term)}(global::System.ReadOnlySpan<double> x, int[] map, double[] values, double[]? slopes)"))
            {
                var opened = loops.Select(l => Loop(w, l)).ToList();
                w.Line($"var {entry.Name} = x[map[{position}]];");
                w.Line($"values[{position}] = {code.Of(ExprTools.ReplaceCalls(within, p, entry))};");
                w.Line($"if (slopes is not null) slopes[{position}] = {code.Of(ExprTools.ReplaceCalls(slope, p, entry))};");
                for (var n = opened.Count - 1; n >= 0; n--) opened[n].Dispose();
            }
        }

        public static string PlugInMeans(LogisticBlock b) => $"{b.Response}Means";

        /// <summary>Whether an objective holds a Monte Carlo likelihood term, which runs on the M-step's threads.</summary>
        private static bool RunsInParallel(GradientUpdate update) => update.Terms.Any(t => t.Kind == GradientTermKind.BinaryLikelihood);

        private static string Likelihood(GradientUpdate u, GradientTerm t) => $"{u.Parameter}{t.Kind}{t.Block}{t.Latent}";

        /// <summary>The strides of a simplex parameter: outer blocks, inner offsets, entries per simplex.</summary>
        private static (string Outer, string Inner, string Count) SimplexLayout(GradientUpdate update)
        {
            var sizes = update.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList();
            var inner = update.SimplexPosition + 1 < sizes.Count ? string.Join(" * ", sizes.Skip(update.SimplexPosition + 1).Select(s => "model." + s)) : "1";
            var outer = update.SimplexPosition > 0 ? string.Join(" * ", sizes.Take(update.SimplexPosition).Select(s => "model." + s)) : "1";
            return (outer, inner, "model." + sizes[update.SimplexPosition]);
        }

        private static void EmitPrecondition(SourceWriter w, GradientUpdate update)
        {
            if (update.SimplexPosition >= 0)
            {
                var (outer, inner, count) = SimplexLayout(update);
                w.Line("// The gradient in the metric diag(x), kept tangent to each simplex, so small entries move at their own scale.");
                using (w.Block($"for (var outer = 0; outer < {outer}; outer++)"))
                using (w.Block($"for (var inner = 0; inner < {inner}; inner++)"))
                    w.Line($"{MStep}.Projection.SimplexDirection(x, direction, outer * {count} * ({inner}) + inner, {inner}, {count});");
            }
            else if (!double.IsNegativeInfinity(update.Floor))
            {
                w.Line("// The gradient in the metric diag(x): entries near their floor move at their own scale.");
                w.Line("for (var n = 0; n < x.Length; n++) direction[n] *= x[n];");
            }
        }

        private static void EmitProjection(SourceWriter w, ModelSpec spec, GradientUpdate update)
        {
            if (update.SimplexPosition >= 0)
            {
                var (outer, inner, count) = SimplexLayout(update);
                w.Line($"// Each simplex along {update.Indices[update.SimplexPosition].Plate}: entries >= {CodeExpr.Number(update.Floor)} summing to one (eq 3.8).");
                w.Line($"var scratch = new double[2 * {count}];");
                using (w.Block($"for (var outer = 0; outer < {outer}; outer++)"))
                using (w.Block($"for (var inner = 0; inner < {inner}; inner++)"))
                    w.Line($"{MStep}.Projection.OntoSimplex(x, outer * {count} * ({inner}) + inner, {inner}, {count}, {CodeExpr.Number(update.Floor)}, scratch);");
            }
            else if (!double.IsNegativeInfinity(update.Floor))
            {
                w.Line($"{MStep}.Projection.OntoFloor(x, {CodeExpr.Number(update.Floor)});");
            }
        }


    }
}
