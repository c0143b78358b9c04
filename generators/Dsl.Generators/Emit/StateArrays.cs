using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.GibbsNames;

namespace Dsl.Generators.Emit
{
    /// <summary>One generated array: a latent state, a Monte Carlo statistic, or a replicate-major copy of counts.</summary>
    internal sealed record StateArray(string Name, string Type, string Length, bool IsStatistic, bool Grows, string Comment);

    /// <summary>The arrays a plan needs, in a fixed order (the checkpoint format follows it).</summary>
    internal sealed class StateArrays
    {
        private StateArrays(IReadOnlyList<StateArray> all) { All = all; }

        public IReadOnlyList<StateArray> All { get; }

        public static StateArrays Of(ModelSpec spec, GibbsPlan plan)
        {
            var arrays = new List<StateArray>();
            foreach (var b in plan.Allocations)
            {
                var length = $"{CodeExpr.Size(b.Replicate.Plate)} * {CodeExpr.Size(b.Mixture.Plate)}";
                arrays.Add(new StateArray(State(b.Latent), "double", length, false, false, $"{b.Latent}[{b.Replicate.Variable}, {b.Mixture.Variable}], replicate-major"));
                arrays.Add(new StateArray(Sum(b.Latent), "double", length, true, false, $"sum of {b.Latent} over recorded sweeps"));
                arrays.Add(new StateArray(LogSum(b.Latent), "double", length, true, false, $"sum of log {b.Latent} (the Dirichlet's sufficient statistic)"));
                arrays.Add(new StateArray(AllocationSum(b), "double", $"{length} * {CodeExpr.Size(b.Element.Plate)}", true, false,
                    $"E[allocation counts | {b.Latent}] [{b.Replicate.Variable}, {b.Mixture.Variable}, {b.Element.Variable}] summed over recorded sweeps"));
                arrays.Add(new StateArray(Counts(b.Observed), "int", $"{CodeExpr.Size(b.Replicate.Plate)} * {CodeExpr.Size(b.Element.Plate)}", false, false,
                    $"{b.Observed}Counts, replicate-major"));
            }
            foreach (var b in plan.Logistics)
            {
                foreach (var slot in DistinctSlots(b))
                {
                    var length = SlotLength(b, slot);
                    arrays.Add(new StateArray(State(slot.Latent), "double", length, false, false, $"{slot.Latent}, replicate-major"));
                    arrays.Add(new StateArray(Sum(slot.Latent), "double", length, true, false, $"sum of {slot.Latent} over recorded sweeps"));
                    arrays.Add(new StateArray(SquareSum(slot.Latent), "double", length, true, false, $"sum of {slot.Latent}^2 over recorded sweeps"));
                }
                var entries = $"{Replicates(b)} * {CodeExpr.Size(b.Element.Plate)}";
                if (b.ResponseIsLatent)
                {
                    arrays.Add(new StateArray(State(b.Response), "byte", entries, false, false, $"{b.Response} (0 or 1), replicate-major"));
                    arrays.Add(new StateArray(Sum(b.Response), "double", entries, true, false, $"sum of {b.Response} over recorded sweeps"));
                }
                if (b.Child is { } child && arrays.All(a => a.Name != Counts(child.Observed)))
                    arrays.Add(new StateArray(Counts(child.Observed), "int", entries, false, false, $"{child.Observed}Counts, replicate-major"));
                if (KeepsResponseDraws(b))
                    arrays.Add(new StateArray(Samples(b), "byte", "0", false, true, $"{b.Response} at every recorded sweep, for the Monte Carlo M-step"));
                if (GibbsEmitter.KeepsLatentDraws(plan, b))
                    foreach (var slot in DistinctSlots(b))
                        arrays.Add(new StateArray(Draws(slot.Latent), "double", "0", false, true, $"{slot.Latent} at every recorded sweep, for the Monte Carlo M-step"));
                foreach (var term in GibbsEmitter.PolyaGammaTerms(plan, b))
                {
                    var p = term.Access.Node;
                    arrays.Add(new StateArray(PgLinear(b, p), "double", entries, true, false, $"sum of (y - 1/2) slope - omega rest slope (psi = rest + slope * {p})"));
                    arrays.Add(new StateArray(PgQuadratic(b, p), "double", entries, true, false, "sum of omega slope^2"));
                }
            }
            foreach (var b in plan.Crossed)
            {
                var length = CrossedBlockEmitter.Entries(spec, b);
                arrays.Add(new StateArray(State(b.Latent), "double", length, false, false, b.Latent));
                arrays.Add(new StateArray(Sum(b.Latent), "double", length, true, false, $"sum of {b.Latent} over recorded sweeps"));
                arrays.Add(new StateArray(SquareSum(b.Latent), "double", length, true, false, $"sum of {b.Latent}^2 over recorded sweeps"));
                if (CrossedBlockEmitter.KeepsDraws(plan, b))
                    arrays.Add(new StateArray(Draws(b.Latent), "double", "0", false, true, $"{b.Latent} at every recorded sweep, for the Monte Carlo M-step"));
            }
            return new StateArrays(arrays);
        }
    }
}
