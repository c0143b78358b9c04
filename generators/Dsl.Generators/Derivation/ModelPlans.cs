using System.Linq;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// One engine's plan for a model: the plan, or why it has none (<see cref="Refusal"/>, the planner's own words), or
    /// neither when the engine does not apply to the model's kind at all. Value-equal, so the generator can cache it.
    /// </summary>
    public sealed record Planned<TPlan>(TPlan? Plan, string? Refusal, EquatableArray<DiagnosticInfo> Diagnostics) where TPlan : class
    {
        public static readonly Planned<TPlan> NotTried = new(null, null, EquatableArray<DiagnosticInfo>.Empty);

        public bool Tried => Plan is not null || Refusal is not null;

        public static Planned<TPlan> From(Result<TPlan> result) =>
            new(result.Value, result.Value is null ? string.Join("; ", result.Diagnostics.Select(d => $"{d.Id}: {d.Message}")) : null, result.Diagnostics);
    }

    /// <summary>
    /// Stage 3, between the validated graph and the emitters: every engine's plan for one model, and the plates whose
    /// labels every sampler aligns before summarising (<see cref="Exchangeability"/>). The emitters print
    /// what is planned here; the snapshot baselines and `dsl check --plan` print it as text (<c>Emit/PlanPrinter</c>).
    /// </summary>
    public sealed record ModelPlans(
        Planned<ConjugatePlan> ExactGibbs,
        Planned<GibbsPlan> GibbsEm,
        Planned<SamplingPlan> Nuts,
        Planned<SamplingPlan> MaximumLikelihood,
        Planned<JointVariationalPlan> Variational,
        EquatableArray<string> Exchangeable)
    {
        /// <summary>Whether any engine even applies to the model's kind (never "no diagnostic and no code": the pipeline warns when none does).</summary>
        public bool AnyTried => GibbsEm.Tried || Variational.Tried || MaximumLikelihood.Tried;

        public static ModelPlans Plan(ModelSpec spec)
        {
            // Parameters beside discrete latents only: the likelihood with those latents summed out is maximised.
            var pointEstimated = PointEstimationPlanner.Applies(spec);
            var maximumLikelihood = pointEstimated ? Planned<SamplingPlan>.From(PointEstimationPlanner.Plan(spec)) : Planned<SamplingPlan>.NotTried;
            var gibbsEm = Planned<GibbsPlan>.NotTried;
            var nuts = Planned<SamplingPlan>.NotTried;
            var exact = Planned<ConjugatePlan>.NotTried;
            if (GibbsPlanner.Applies(spec))
            {
                gibbsEm = Planned<GibbsPlan>.From(GibbsPlanner.Plan(spec));
                // Gradient-based sampling wherever it plans, except where maximum likelihood already fits a model that
                // has nothing continuous to sample; exact Gibbs wherever the catalogue has an entry for every latent.
                if (!pointEstimated)
                {
                    nuts = Planned<SamplingPlan>.From(SamplingPlanner.Plan(spec));
                    var conjugate = ConjugatePlanner.Plan(spec, out var why);
                    exact = new Planned<ConjugatePlan>(conjugate, conjugate is null ? why ?? "the model has no latent" : null, EquatableArray<DiagnosticInfo>.Empty);
                }
            }
            var variational = VariationalPlanner.Applies(spec) ? Planned<JointVariationalPlan>.From(VariationalPlanner.Plan(spec)) : Planned<JointVariationalPlan>.NotTried;
            return new ModelPlans(exact, gibbsEm, nuts, maximumLikelihood, variational, Exchangeability.Plates(spec).ToEquatableArray());
        }
    }
}
