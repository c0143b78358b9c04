using Dsl.Analysis.Ursm;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Ursm;

/// <summary>The section 4.2-4.4 figures of one simulated data set.</summary>
public sealed record UrsmScores(double NaiveL1, double SingleCellL1, double UnifiedL1, double WL1PerSample, double Auc, double NmfAuc, double SecondsPerIteration);

/// <summary>
/// Section 4.2's experiment on one seed: simulate (4.1), fit the single-cell submodel and the unified model, and
/// score A, W and dropout calls against the truth next to the naive estimate (4.2) and the rank-K NMF baseline (4.4).
/// </summary>
public static class UrsmExperiment
{
    public static UrsmScores Run(UrsmSimulationSettings settings, GibbsEmOptions options)
    {
        var sim = UrsmSimulator.Simulate(settings);
        var k = settings.Types;
        var naive = Dsl.Models.Ursm.Ursm.NaiveProfiles(sim.Y, sim.CellTypes, k);
        var scOnly = UrsmFitter.Fit(new UrsmInputs(k, sim.Y, sim.CellTypes, null), options);
        var unified = UrsmFitter.Fit(new UrsmInputs(k, sim.Y, sim.CellTypes, sim.X), options);
        var estimates = UrsmEstimates.From(unified.Model);
        var nmf = UrsmMetrics.NmfApproximation(sim.Y, k);
        return new UrsmScores(
            UrsmMetrics.L1(naive, sim.A),
            UrsmMetrics.L1(UrsmEstimates.From(scOnly.Model).A, sim.A),
            UrsmMetrics.L1(estimates.A, sim.A),
            UrsmMetrics.L1PerSample(estimates.W, sim.W),
            UrsmMetrics.DropoutAuc(sim.Y, sim.S, (i, l) => 1 - estimates.S[i, l]),
            UrsmMetrics.DropoutAuc(sim.Y, sim.S, (i, l) => nmf[i, l]),
            unified.Run.Iterations.Average(e => e.Seconds));
    }
}
