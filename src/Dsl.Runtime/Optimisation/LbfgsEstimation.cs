using System.Diagnostics;
using Dsl.Runtime.Data;

namespace Dsl.Runtime.Optimisation;

/// <summary>
/// Full-batch L-BFGS to convergence: it stops when an iteration changes the loss by less than the tolerance relative
/// to its size, when no step lowers it any more, or at the iteration budget; the checkpoint (at most every
/// <see cref="PointEstimationOptions.CheckpointSeconds"/>, and at the end) holds the point and the correction pairs.
/// </summary>
public static class LbfgsEstimation
{
    private const string Kind = "dsl-lbfgs-checkpoint-2";

    /// <param name="startFailure">the one-line reason the loss is not finite at the start</param>
    public static OptimiserRun Run(Loss loss, double[] start, PointEstimationOptions options, CheckpointPlan? checkpoint,
        IProgress<(int Iteration, double LogLikelihood)>? progress, Func<Lbfgs, string> startFailure)
    {
        var clock = Stopwatch.StartNew();
        var search = new Lbfgs(loss, start, options.Memory);
        if (!double.IsFinite(search.Value)) throw new InvalidDataException(startFailure(search));
        var history = new List<double[]>();
        var state = new[] { search.X, search.Rho }.Concat(search.S).Concat(search.Y).ToList();
        int? resumedAfter = null;
        if (checkpoint is { Resume: true })
        {
            var numbers = OptimiserCheckpoint.Load(checkpoint, Kind, options.Fingerprint, history, state);
            search.Restore(numbers[0], (int)numbers[1], (int)numbers[2], (int)numbers[3]);
            resumedAfter = history.Count;
        }
        checkpoint?.RequireWritable();
        void Save() => OptimiserCheckpoint.Save(checkpoint!, Kind, options.Fingerprint, history, state, [search.Value, search.Stored, search.Newest, search.Evaluations]);
        var lastSave = Stopwatch.StartNew();
        var outcome = $"reached --iterations {options.MaxIterations} without converging";
        var previousSeconds = history.Count == 0 ? 0 : history[^1][^1];
        while (history.Count < options.MaxIterations)
        {
            var before = search.Value;
            if (search.Iterate() == LbfgsStep.Stalled)
            {
                outcome = "converged (no step lowers the loss at floating-point precision)";
                break;
            }
            history.Add([history.Count + 1, -search.Value, MaxAbs(search.Gradient), search.LastStep, search.Evaluations, previousSeconds + clock.Elapsed.TotalSeconds]);
            progress?.Report((history.Count, -search.Value));
            if (checkpoint is not null && lastSave.Elapsed.TotalSeconds >= options.CheckpointSeconds)
            {
                Save();
                lastSave.Restart();
            }
            if (Math.Abs(before - search.Value) <= options.Tolerance * Math.Max(Math.Abs(before), Math.Abs(search.Value)))
            {
                outcome = "converged";
                break;
            }
        }
        if (checkpoint is not null) Save();
        var settings = new Dictionary<string, object>
        {
            ["optimiser"] = "L-BFGS", ["max_iterations"] = options.MaxIterations, ["tolerance"] = options.Tolerance, ["memory"] = options.Memory,
            ["evaluations"] = search.Evaluations, ["log_likelihood"] = -search.Value, ["gradient_max_abs"] = MaxAbs(search.Gradient),
        };
        return new OptimiserRun(search.X, history, "iteration", ["log_likelihood", "gradient_max_abs", "step_length", "evaluations", "seconds"], outcome, resumedAfter, settings);
    }

    public static double MaxAbs(double[] values) => values.Length == 0 ? 0 : values.Max(Math.Abs);
}
