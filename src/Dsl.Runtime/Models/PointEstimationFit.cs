using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Models;

/// <summary>
/// Maximum likelihood for any declared model of parameters only: L-BFGS on the generated log likelihood and its
/// gradient, over the parameters' unconstrained coordinates, from the stored starting values jittered by a seeded
/// stream (so the same seed gives the same estimates at any thread count). It stops when an iteration changes the
/// log likelihood by less than the tolerance relative to its size, when no step lowers the loss any more, or at the
/// iteration budget. Observations with missing entries get their predictions, E[y] at the estimates, as dense outputs.
/// </summary>
public static class PointEstimationFit
{
    public const string Engine = "maximum likelihood";

    /// <summary>The seed offset of the starting jitter's stream.</summary>
    private const ulong JitterStreams = 0x0B1E_0000_0000UL;

    public static DeclaredFit Fit(IDeclaredModel model, PointEstimationOptions options, CheckpointPlan? checkpoint, IProgress<(int Iteration, double LogLikelihood)>? progress)
    {
        if (model is not IPointEstimatedModel estimated) throw new InvalidOperationException($"{model.Descriptor.Name} has no maximum-likelihood plan");
        var clock = Stopwatch.StartNew();
        var objective = estimated.CreateObjective();
        objective.Threads = options.Threads;
        var parameters = new UnconstrainedParameters(model, objective.Parameters);
        var start = new double[parameters.Length];
        parameters.Read(start);
        var random = new RandomStream(options.Seed ^ JitterStreams, 0);
        for (var i = 0; i < start.Length; i++) start[i] += options.InitJitter * random.NextNormal();

        double Loss(ReadOnlySpan<double> x, Span<double> gradient)
        {
            parameters.Write(x);
            var logLikelihood = objective.Evaluate(ReadOnlySpan<double>.Empty, Span<double>.Empty);
            if (!double.IsFinite(logLikelihood)) return double.PositiveInfinity;
            parameters.Gradient(objective, gradient, -1);
            return parameters.NonFinite(gradient) is null ? -logLikelihood : double.PositiveInfinity;
        }

        var search = new Lbfgs(Loss, start, options.Memory);
        if (!double.IsFinite(search.Value)) throw new InvalidDataException(StartFailure(objective, parameters, search));
        var history = new List<double[]>();
        int? resumedAfter = null;
        if (checkpoint is { Resume: true })
        {
            PointEstimationCheckpoint.Load(checkpoint, options, search, history);
            resumedAfter = history.Count;
        }
        checkpoint?.RequireWritable();
        var lastSave = Stopwatch.StartNew();
        var outcome = $"reached --iterations {options.MaxIterations} without converging";
        var previousSeconds = history.Count == 0 ? 0 : history[^1][^1];
        while (history.Count < options.MaxIterations)
        {
            var before = search.Value;
            var step = search.Iterate();
            if (step == LbfgsStep.Stalled)
            {
                outcome = "converged (no step lowers the loss at floating-point precision)";
                break;
            }
            history.Add([history.Count + 1, -search.Value, MaxAbs(search.Gradient), search.LastStep, search.Evaluations, previousSeconds + clock.Elapsed.TotalSeconds]);
            progress?.Report((history.Count, -search.Value));
            if (checkpoint is not null && lastSave.Elapsed.TotalSeconds >= options.CheckpointSeconds)
            {
                PointEstimationCheckpoint.Save(checkpoint, options, search, history);
                lastSave.Restart();
            }
            if (Math.Abs(before - search.Value) <= options.Tolerance * Math.Max(Math.Abs(before), Math.Abs(search.Value)))
            {
                outcome = "converged";
                break;
            }
        }
        if (checkpoint is not null) PointEstimationCheckpoint.Save(checkpoint, options, search, history);
        parameters.Write(search.X);

        var settings = new Dictionary<string, object>
        {
            ["optimiser"] = "L-BFGS", ["max_iterations"] = options.MaxIterations, ["tolerance"] = options.Tolerance, ["memory"] = options.Memory,
            ["init_jitter"] = options.InitJitter, ["seed"] = options.Seed, ["threads"] = options.Threads, ["evaluations"] = search.Evaluations,
            ["log_likelihood"] = -search.Value, ["gradient_max_abs"] = MaxAbs(search.Gradient),
        };
        var fitHistory = new FitHistory("iteration", ["log_likelihood", "gradient_max_abs", "step_length", "evaluations", "seconds"], history);
        return new DeclaredFit(Engine, fitHistory, outcome, resumedAfter, NodeSummary.PointEstimates(model).ToList(), 0,
            "parameters: maximum-likelihood point estimates (no sd or interval)" + (objective.Incomplete.Count == 0 ? "" : $"; {string.Join(", ", objective.Incomplete.Select(n => $"{n}_expected"))}: E[y] at the estimates, every entry"),
            settings, clock.Elapsed.TotalSeconds) { DenseOutputs = Predictions(model, objective) };
    }

    /// <summary>E[y] at every entry of each observation with missing entries, as the node NAME_expected.</summary>
    private static List<NodeSummary> Predictions(IDeclaredModel model, IObjective objective) =>
        objective.Incomplete.Select(name =>
        {
            var node = model.Descriptor.Find(name)!;
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new double[shape.Aggregate(1, (a, b) => checked(a * b))];
            if (!objective.TryPredict(name, values)) throw new InvalidOperationException($"the objective predicts no expected value for '{name}'");
            return new NodeSummary(node with { Name = $"{name}_expected" }, shape, values, null, null, null, null, null, null, null);
        }).ToList();

    /// <summary>Why the starting point has no finite log likelihood, naming the parameter whose gradient fails first where one does.</summary>
    private static string StartFailure(IObjective objective, UnconstrainedParameters parameters, Lbfgs search)
    {
        var logLikelihood = objective.Evaluate(ReadOnlySpan<double>.Empty, Span<double>.Empty);
        if (!double.IsFinite(logLikelihood))
            return $"the log likelihood is {logLikelihood} at the starting values: some observation lies outside its distribution's support there; check the data against the model's supports, or give starting values";
        var bad = parameters.NonFinite(search.Gradient);
        return $"the gradient of the log likelihood in '{bad?.Node}' (entry {bad?.Entry + 1}) is not finite at the starting values; check the data against the model's supports, or give starting values";
    }

    private static double MaxAbs(double[] values) => values.Length == 0 ? 0 : values.Max(Math.Abs);
}
