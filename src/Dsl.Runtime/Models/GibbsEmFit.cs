using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Models;

/// <summary>
/// Gibbs-EM for any declared model a Gibbs plan claims: the generic EM loop (point estimates of the parameters),
/// then one more E-step at the fitted parameters whose recorded sweeps are the draws of every latent that the
/// summary reports (mean, sd, quantiles, ESS, split R-hat). Its sweeps continue the run's sweep numbering, so the
/// same seed gives the same draws at any thread count and after any resume.
/// </summary>
public static class GibbsEmFit
{
    public const string Engine = "Gibbs-EM";

    public static DeclaredFit Fit(IDeclaredModel model, GibbsEmOptions options, CheckpointPlan? checkpoint, IProgress<EmIteration>? progress)
    {
        if (model is not IGibbsEmModel gibbs) throw new InvalidOperationException($"{model.Descriptor.Name} has no Gibbs-EM plan");
        var clock = Stopwatch.StartNew();
        var run = new GibbsEmDriver(options).Run(gibbs, checkpoint, progress);
        var draws = new PosteriorDraws(model, options.Samples, model.TryRead, drawsUninformed: false);
        gibbs.ResetStatistics();
        var sweepsPerIteration = options.BurnIn + options.Samples;
        for (var s = 0; s < sweepsPerIteration; s++)
        {
            var record = s >= options.BurnIn;
            gibbs.Sweep(new SweepContext(options.Seed, (long)run.Iterations.Count * sweepsPerIteration + s, record, options.Threads));
            if (record) draws.Record();
        }
        var history = new FitHistory("iteration", ["expected_complete_loglik", "seconds"],
            run.Iterations.Select(i => new[] { i.Index, i.ExpectedCompleteLogLikelihood, i.Seconds }).ToList());
        var settings = new Dictionary<string, object>
        {
            ["burnin"] = options.BurnIn, ["samples"] = options.Samples, ["em_iterations"] = options.MaxIterations, ["seed"] = options.Seed,
            ["threads"] = options.Threads, ["plug_in"] = options.MStep.PlugInNormaliser,
        };
        return new DeclaredFit(Engine, history, run.Converged ? "converged" : "reached --em-iters without converging", run.ResumedAfter,
            NodeSummary.PointEstimates(model).Concat(draws.Summaries()).ToList(), draws.Recorded,
            "latents and deterministic nodes: draws of a final E-step at the fitted parameters; parameters: EM point estimates (no sd or interval)" + draws.MomentsNote,
            settings, clock.Elapsed.TotalSeconds) { Recorded = draws };
    }
}
