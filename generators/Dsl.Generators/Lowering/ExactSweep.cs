using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Emit;

namespace Dsl.Generators.Lowering
{
    /// <summary>One update of an exact Gibbs sweep: the generated method that draws it and what it draws, by which rule.</summary>
    public sealed record SweepStep(string Method, string Draws);

    /// <summary>
    /// The lowered exact Gibbs sweep: its updates in the order one sweep runs them. Any fixed order leaves the
    /// posterior invariant (a systematic scan); this one draws the discrete latents first (enumeration, then switches
    /// with running sums), then the jointly Normal coefficient blocks, the closed-form conjugate draws and last the
    /// slice steps. Method names are the latents', capitalised (UpdateKappa, UpdateInterceptAndSlope).
    /// </summary>
    public sealed record ExactSweep(IReadOnlyList<SweepStep> Steps)
    {
        public static ExactSweep Lower(ConjugatePlan plan) => new(
            plan.Enumerated.Select(e => new SweepStep(Name(e.Latent), $"{e.Latent} by enumeration"))
                .Concat(plan.Switches.Select(s => new SweepStep(Name(s.Latent), $"{s.Latent} by enumeration with a running sum")))
                .Concat(plan.Blocks.Select(b => new SweepStep(Name(b), $"{string.Join(", ", b.Members.Select(m => m.Latent))} jointly by Normal linear predictor")))
                .Concat(plan.Updates.Select(u => new SweepStep(Name(u.Latent), $"{u.Latent} by {u.Entry}")))
                .Concat(plan.Slices.Select(s => new SweepStep(Name(s.Latent.Node), $"{s.Latent.Node} by slice sampling")))
                .ToList());

        /// <summary>The method that updates one latent.</summary>
        public static string Name(string latent) => "Update" + EmitHelpers.Capitalised(latent);

        /// <summary>The method that updates a Normal block's members together (UpdateInterceptAndSlope).</summary>
        public static string Name(NormalBlock block) => "Update" + string.Concat(block.Members.Select((m, i) => (i == 0 ? "" : "And") + EmitHelpers.Capitalised(m.Latent)));
    }
}
