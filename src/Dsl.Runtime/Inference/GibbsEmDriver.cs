using System.Diagnostics;
using Dsl.Runtime.Data;

namespace Dsl.Runtime.Inference;

/// <summary>One finished EM iteration: the Q estimate after its M-step and how long it took.</summary>
public sealed record EmIteration(int Index, double ExpectedCompleteLogLikelihood, double Seconds);

/// <summary>What a run did: its iterations (including those done before a resume) and why it stopped.</summary>
public sealed record GibbsEmResult(IReadOnlyList<EmIteration> Iterations, bool Converged, int ResumedAfter);

/// <summary>
/// The generic Gibbs-EM loop (URSM section 3; Dupuy &amp; Bach 2016): per iteration, burn-in sweeps, recorded sweeps
/// whose statistics the M-step uses, the M-step, a convergence check and a checkpoint. Models plug in through
/// <see cref="IGibbsEmModel"/>; nothing here knows any model.
/// </summary>
public sealed class GibbsEmDriver(GibbsEmOptions options)
{
    /// <param name="checkpoint">where to keep the checkpoint, and whether to resume from it (it must then exist and match)</param>
    public GibbsEmResult Run(IGibbsEmModel model, CheckpointPlan? checkpoint = null, IProgress<EmIteration>? progress = null)
    {
        model.ValidateShapes();
        var history = new List<EmIteration>();
        var streak = 0;
        if (checkpoint is { Resume: true })
        {
            streak = GibbsEmCheckpoint.Load(checkpoint, options, model, history);
        }
        else
        {
            model.InitializeLatents(options.Seed);
        }
        checkpoint?.RequireWritable();
        var resumedAfter = history.Count;
        var sweepsPerIteration = options.BurnIn + options.Samples;
        var converged = streak >= options.PatienceIterations;
        for (var iteration = history.Count; iteration < options.MaxIterations && !converged; iteration++)
        {
            var clock = Stopwatch.StartNew();
            model.ResetStatistics();
            for (var s = 0; s < sweepsPerIteration; s++)
            {
                var sweep = (long)iteration * sweepsPerIteration + s;
                model.Sweep(new SweepContext(options.Seed, sweep, Record: s >= options.BurnIn, options.Threads));
            }
            var q = model.MaximiseParameters(options.MStep with { Threads = options.Threads });
            if (!double.IsFinite(q)) throw new InvalidOperationException($"EM iteration {iteration + 1}: the expected complete log-likelihood is {q}");
            if (history.Count > 0)
            {
                var previous = history[^1].ExpectedCompleteLogLikelihood;
                streak = Math.Abs(q - previous) <= options.RelativeTolerance * Math.Abs(previous) ? streak + 1 : 0;
            }
            var done = new EmIteration(iteration + 1, q, clock.Elapsed.TotalSeconds);
            history.Add(done);
            converged = streak >= options.PatienceIterations;
            if (checkpoint is not null) GibbsEmCheckpoint.Save(checkpoint, options, model, history, streak);
            progress?.Report(done);
        }
        return new GibbsEmResult(history, converged, resumedAfter);
    }
}
