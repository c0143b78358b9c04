using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Stage 3 as text: what every engine planned for a model, update by update, with the statistics and expressions
    /// the emitters will print, or the reason an engine has no plan. For the snapshot baselines and `dsl check --plan`.
    /// </summary>
    public static class PlanPrinter
    {
        public static string Print(ModelPlans plans)
        {
            var w = new SourceWriter();
            foreach (var engine in Engines(plans))
            {
                if (engine.Print is { } print)
                {
                    w.Line(engine.Name);
                    using (w.Indent(1)) print(w);
                }
                else w.Line(engine.Refusal is { } why ? $"{engine.Name}: no plan: {why}" : $"{engine.Name}: does not apply");
            }
            foreach (var plate in plans.Exchangeable) w.Line($"labels of {plate} aligned across chains and draws: the declaration cannot tell its entries apart");
            return w.ToString();
        }

        /// <summary>
        /// Why <paramref name="engine"/> (named as in <see cref="Print"/>) has no plan for the model: "has no plan: " and
        /// the planner's reason, or "does not apply to this kind of model"; null where it planned.
        /// </summary>
        public static string? Refusal(ModelPlans plans, string engine)
        {
            var found = Engines(plans).FirstOrDefault(e => e.Name == engine) ?? throw new System.ArgumentException($"no engine is called '{engine}'", nameof(engine));
            return found.Print is not null ? null : found.Refusal is { } why ? $"{engine} has no plan: {why}" : $"{engine} does not apply to this kind of model";
        }

        /// <summary>One engine as printed: its name (the runtime's for its fit), and its plan's printer or its refusal.</summary>
        private sealed record EngineText(string Name, System.Action<SourceWriter>? Print, string? Refusal);

        private static IEnumerable<EngineText> Engines(ModelPlans plans)
        {
            yield return Engine("exact Gibbs", plans.ExactGibbs, ExactGibbs);
            yield return Engine("NUTS", plans.Nuts, (writer, plan) => Sampling(writer, plan, "sample"));
            yield return Engine("Gibbs-EM", plans.GibbsEm, GibbsEm);
            yield return Engine("maximum likelihood", plans.MaximumLikelihood, (writer, plan) => Sampling(writer, plan, "estimate"));
            yield return Engine("variational inference", plans.Variational, Variational);
        }

        private static EngineText Engine<TPlan>(string name, Planned<TPlan> planned, System.Action<SourceWriter, TPlan> print) where TPlan : class =>
            new(name, planned.Plan is { } plan ? w => print(w, plan) : null, planned.Refusal);

        private static string E(Expr e) => ExprPrinter.Print(e);

        private static string Names(IEnumerable<string> names) => string.Join(", ", names);

        private static void ExactGibbs(SourceWriter w, ConjugatePlan plan)
        {
            foreach (var e in plan.Enumerated) w.Line($"enumerate {e.Latent} over its values, weighed by {Names(e.Children)}");
            foreach (var s in plan.Switches) w.Line($"enumerate {s.Latent} along {s.Element} with a running sum, switching {s.Child}'s entries of weight {E(s.Weight)}");
            foreach (var block in plan.Blocks)
            {
                w.Line($"draw jointly Normal: {Names(block.Members.Select(m => m.Latent))}");
                using (w.Indent(1))
                {
                    foreach (var m in block.Members) w.Line($"prior {m.Latent}: mean {E(m.Mean)}, precision {E(m.Precision)}");
                    foreach (var c in block.Children)
                    {
                        w.Line($"child {c.Child}{Augmented(c.Augment)}: value {E(c.Value)}, free part {E(c.Free)}, precision {E(c.Precision)}");
                        foreach (var t in c.Terms) w.Line($"    term {(t.Over is { } over ? $"sum over {over.Plate} {over.Variable} of " : "")}{E(t.Coefficient)} * {E(t.Read)}");
                    }
                }
            }
            foreach (var u in plan.Updates)
            {
                w.Line($"draw {u.Latent} from {u.Family}{(u.Over is { } over ? $" along {over}" : "")} ({u.Entry}): {u.Conditional}");
                using (w.Indent(1))
                {
                    w.Line($"prior: {Statistics(u.Family, u.First, u.Second)}");
                    foreach (var c in u.Children) w.Line($"child {c.Child}{Augmented(c.Augment)}{Split(c.Split)} at {E(c.Read)}: + {Statistics(u.Family, c.First, c.Second)}");
                }
            }
            foreach (var s in plan.Slices) w.Line($"slice-sample {s.Latent.Node} on its {Scale(s.Latent)} scale, given {Names(s.Children)}");
        }

        /// <summary>A conditional's two accumulated parameters, named as <see cref="ConjugateFamily"/> defines them.</summary>
        private static string Statistics(ConjugateFamily family, Expr first, Expr? second)
        {
            var (a, b) = family switch
            {
                ConjugateFamily.Normal => ("precision", "precision-weighted mean"),
                ConjugateFamily.Gamma => ("shape", "rate"),
                ConjugateFamily.InverseGamma => ("shape", "scale"),
                ConjugateFamily.Beta => ("a", "b"),
                _ => ("concentration", ""),
            };
            return second is null ? $"{a} {E(first)}" : $"{a} {E(first)}, {b} {E(second)}";
        }

        private static string Split(AllocationSplit? s) => s is null ? "" : $" (count split over {s.Over.Plate} {s.Over.Variable} in proportion to {E(s.Term)})";

        private static string Augmented(Augmentation? a) => a switch
        {
            null => "",
            { Kind: AugmentationKind.LatentUtility } => $" (latent utility u ~ Normal({E(a.Predictor)}, 1) on {E(a.Response)}'s side of zero)",
            _ => $" (Pólya-Gamma ω ~ PG({E(a.Trials)}, {E(a.Predictor)}))",
        };

        private static string Scale(SampledLatent latent) => latent.Transform switch
        {
            LatentTransform.Identity => "own",
            LatentTransform.Interval => $"logit ({E(latent.Lower!)}, {E(latent.Upper!)})",
            LatentTransform.PositiveOrdered => "positive ordered",
            var t => t.ToString().ToLowerInvariant(),
        };

        private static void Sampling(SourceWriter w, SamplingPlan plan, string verb)
        {
            foreach (var l in plan.Latents) w.Line($"{verb} {l.Node} on its {Scale(l)} scale");
            foreach (var s in plan.Summed) w.Line($"sum out {s.Node}, read by {Names(s.Children)}");
            foreach (var p in plan.Parameters) w.Line($"point-estimate {p}");
            w.Line($"log density: {Names(plan.Terms)}");
        }

        private static void GibbsEm(SourceWriter w, GibbsPlan plan)
        {
            foreach (var b in plan.Allocations)
            {
                w.Line($"allocation block {b.Id} (line {b.Line}): allocations of {b.Observed} over {b.Mixture.Plate} for {b.Latent} ~ Dirichlet, per {b.Replicate.Plate} and {b.Element.Plate}");
                w.Line($"    profile {E(b.Profile)}, concentration {E(b.Concentration)}");
            }
            foreach (var b in plan.Logistics)
            {
                var link = b.Probability is { } p ? $"slice steps under the link p = {E(p)}" : "Pólya-Gamma augmentation of the logit";
                w.Line($"logistic block {b.Id} (line {b.Line}): {(b.ResponseIsLatent ? "latent" : "observed")} {b.Response} over {b.Element.Plate}{(b.Replicate is { } r ? $" per {r.Plate}" : "")}, {link}");
                using (w.Indent(1))
                {
                    foreach (var s in b.Slots)
                        w.Line($"coefficient {E(s.LatentCall)}{(s.Over is { } over ? $" summed over {over.Plate}" : "")} times {E(s.Coefficient)}, prior Normal({E(s.PriorMean)}, {E(s.PriorSd)})");
                    foreach (var o in b.Offsets) w.Line($"offset {E(o)}");
                    if (b.Child is { } child) w.Line($"enumerated through {child.Observed}, a multinomial of normalised weights {E(child.Weight)}");
                }
            }
            foreach (var c in plan.Crossed)
                w.Line($"crossed block {c.Id} (line {c.Line}): {E(c.Read)} times {E(c.Coefficient)} in logistic block {c.Primary.Id}'s predictor, prior Normal({E(c.PriorMean)}, {E(c.PriorSd)}), Pólya-Gamma augmentation of every entry that reads it");
            foreach (var c in plan.ClosedForms) w.Line($"M-step {c.Parameter} (line {c.Line}): the {c.Kind.ToString().ToLowerInvariant()} of {c.Latent}, in closed form");
            foreach (var g in plan.Gradients)
            {
                var set = g.SimplexPosition >= 0 ? $"simplex along {g.Indices[g.SimplexPosition].Plate}" : double.IsNegativeInfinity(g.Floor) ? "unbounded" : $"floor {ExprPrinter.Number(g.Floor)}";
                w.Line($"M-step {g.Parameter} (line {g.Line}): projected gradient ascent, {set}");
                foreach (var t in g.Terms)
                    w.Line(t.Kind == GradientTermKind.ParameterPrior
                        ? $"    {t.Kind} of {t.Latent} at {E(t.Access)}"
                        : $"    {t.Kind} of {(t.Kind is GradientTermKind.AllocationProfile or GradientTermKind.DirichletConcentration ? "allocation" : t.Kind == GradientTermKind.CrossedPrior ? "crossed" : "logistic")} block {t.Block} at {E(t.Access)}{(t.Within is { } within && !ExprTools.SameShape(within, t.Access) ? $" in {E(within)}" : "")}{(t.Latent is { } l ? $" ({l})" : "")}");
            }
            w.Line($"observed: {Names(plan.Observed)}");
        }

        private static void Variational(SourceWriter w, JointVariationalPlan joint)
        {
            foreach (var part in joint.Parts)
            {
                w.Line($"minibatches over {part.BatchPlate} ({part.ClassName})");
                using (w.Indent(1)) Part(w, part);
            }
            foreach (var a in joint.Adversaries)
                w.Line($"adversary '{a.Group}' on {Names(a.Latents)}: kappa {ExprPrinter.Number(a.Kappa)}, discriminator {a.Layers} x {a.Hidden}, dropout {ExprPrinter.Number(a.Dropout)}");
        }

        private static void Part(SourceWriter w, VariationalPlan plan)
        {
            foreach (var l in plan.Latents)
            {
                var prior = l.PriorKernel is { } kernel ? $"{kernel}({string.Join(", ", l.PriorArguments.Select(E))}), Monte Carlo KL" : $"Normal({E(l.PriorMean)}, {E(l.PriorSd)}){(l.LogScale ? " on the log scale" : "")}, analytic KL";
                w.Line($"encode {l.Node}{Over(l.ItemPlate)} (line {l.Line}) from {Inputs(l.Inputs)}: prior {prior}");
                w.Line($"    encoder {IrPrinter.Network(l.Encoder)}");
                Partials(w, "prior mean", l.PriorMeanPartials);
                Partials(w, "prior sd", l.PriorSdPartials);
            }
            foreach (var n in plan.Networks)
            {
                var sharing = (n.TrunkOwner == n.Node ? "" : $", hidden layers of {n.TrunkOwner}") + (n.WeightsOf == n.Node ? "" : $", weights of {n.WeightsOf}");
                w.Line($"network {n.Node} over {n.ItemPlate} (line {n.Line}) from {Inputs(n.Inputs)}{sharing}: {IrPrinter.Network(n.Architecture)}");
            }
            foreach (var t in plan.Likelihoods)
            {
                w.Line($"likelihood {t.Node}{Over(t.ItemPlate)} (line {t.Line}): {t.Family} by {t.Kernel} kernel {t.KernelName}");
                foreach (var a in t.Arguments)
                {
                    w.Line($"    {a.Name} = {E(a.Value)}");
                    foreach (var sum in a.RowSums) w.Line($"        row sum {sum.Name} = {E(sum.Over)}");
                    using (w.Indent(1)) Partials(w, a.Name, a.Partials);
                }
            }
            foreach (var g in plan.Globals)
                w.Line($"global {g.Node} (line {g.Line}): mean-field Normal on its {g.Transform.ToString().ToLowerInvariant()} scale, prior {g.Kernel}({string.Join(", ", g.PriorArguments.Select(a => E(a.Value)))})");
            foreach (var p in plan.Parameters)
                w.Line($"fit {p.Node}{(p.Positive ? " through its log" : "")}{(p.Simplex is { } s ? $" through a softmax along {s.Plate}" : "")}" +
                    (p.Prior is { } prior ? $", MAP under its prior {prior.Kernel}({string.Join(", ", prior.Arguments.Select(a => E(a.Value)))}) (line {prior.Line})" : ""));
        }

        private static void Partials(SourceWriter w, string of, EquatableArray<PartialDerivative> partials)
        {
            foreach (var p in partials) w.Line($"    d {of} / d {E(p.Target)} = {E(p.Derivative)}");
        }

        private static string Over(string? plate) => plate is null ? "" : $" over {plate}";

        private static string Inputs(EquatableArray<NetworkInput> inputs) =>
            inputs.Count == 0 ? "nothing" : string.Join(", ", inputs.Select(i => $"{i.Node} ({i.Kind.ToString().ToLowerInvariant()}{(i.Plate is { } p ? $" over {p}" : "")})"));
    }
}
