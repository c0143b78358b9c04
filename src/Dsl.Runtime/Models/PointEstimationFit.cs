using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Models;

/// <summary>
/// Maximum likelihood (MAP where parameters declare priors) for any declared model of parameters only, on the
/// generated log likelihood and its gradient over the parameters' unconstrained coordinates, from the stored starting
/// values jittered by a seeded stream: full-batch L-BFGS to convergence (<see cref="LbfgsEstimation"/>), or Adam on
/// minibatches of the observations' rows (<see cref="AdamEstimation"/>). The same seed gives the same estimates at any
/// thread count. Observations with missing entries get their predictions, E[y] at the estimates, as dense outputs.
/// </summary>
public static class PointEstimationFit
{
    public const string Engine = "maximum likelihood";

    /// <summary>The seed offset of the starting jitter's stream.</summary>
    private const ulong JitterStreams = 0x0B1E_0000_0000UL;

    /// <summary>Runs shorter than this many steps are too short to judge whether the objective was still rising.</summary>
    private const int MinimumStepsForTrend = 20;

    /// <param name="warn">a line for a fit that stopped while its objective was still climbing</param>
    public static DeclaredFit Fit(IDeclaredModel model, PointEstimationOptions options, CheckpointPlan? checkpoint, IProgress<(int Iteration, double LogLikelihood)>? progress,
        Action<string>? warn = null)
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

        // The loss is −log p; +∞ where it or its gradient is not finite, which the line search backs away from.
        double Loss(Func<double> evaluate, ReadOnlySpan<double> x, Span<double> gradient)
        {
            parameters.Write(x);
            var logDensity = evaluate();
            if (!double.IsFinite(logDensity)) return double.PositiveInfinity;
            parameters.Gradient(objective, gradient, -1);
            return parameters.NonFinite(gradient) is null ? -logDensity : double.PositiveInfinity;
        }

        OptimiserRun run;
        if (options.Optimiser == Optimiser.Lbfgs)
            run = LbfgsEstimation.Run((x, g) => Loss(() => objective.Evaluate(ReadOnlySpan<double>.Empty, Span<double>.Empty), x, g), start, options, checkpoint, progress,
                search => StartFailure(objective, parameters, search.Gradient));
        else
        {
            var plate = objective.RowPlate
                ?? throw new InvalidDataException($"{model.Descriptor.Name}'s observations share no first plate to draw minibatches over; fit it with L-BFGS");
            var rows = model.GetPlateSize(plate);
            run = AdamEstimation.Run((x, g, begin, count) => Loss(() => objective.EvaluateRows(begin, count, rows / (double)count), x, g), start, rows, options, checkpoint, progress);
        }
        parameters.Write(run.X);
        if (!run.Outcome.StartsWith("converged", StringComparison.Ordinal)
            && Trend.LastQuarter(run.History.Select(r => r[1]).ToList(), MinimumStepsForTrend) is { } trend && trend.Gain > 0.01 * Math.Abs(trend.Mean))
            warn?.Invoke($"the log likelihood was still rising when the fit stopped (about {trend.Gain:G3} more over another {trend.Steps} {run.Step}s, from {run.History[^1][1]:G8}): " +
                $"fit longer ({(options.Optimiser == Optimiser.Lbfgs ? "--iterations" : "--epochs")}); if it rises without bound, a scale is heading to zero or a factor to infinity, and a prior or a [Floor] on it bounds the maximum");

        var settings = new Dictionary<string, object>(run.Settings)
        {
            ["init_jitter"] = options.InitJitter, ["seed"] = options.Seed, ["threads"] = options.Threads,
        };
        return new DeclaredFit(Engine, new FitHistory(run.Step, run.Columns, run.History), run.Outcome, run.ResumedAfter, NodeSummary.PointEstimates(model).ToList(), 0,
            "parameters: maximum-likelihood point estimates (no sd or interval)" + (objective.Incomplete.Count == 0 ? "" : $"; {string.Join(", ", objective.Incomplete.Select(ExpectedName))}: E[y] at the estimates, every entry")
            + (objective.Summed.Count == 0 ? "" : $"; {string.Join(", ", objective.Summed.Select(n => $"{n}_probability"))}: each summed-out latent's conditional at the estimates"),
            settings, clock.Elapsed.TotalSeconds) { DenseOutputs = [.. Predictions(model, objective), .. Conditionals(model, objective)] };
    }

    /// <summary>
    /// Each summed-out latent's conditional at the estimates, as the node NAME_probability: for a plate-valued latent
    /// one column per position of its plate, for a 0/1 latent p(z = 1).
    /// </summary>
    private static IEnumerable<NodeSummary> Conditionals(IDeclaredModel model, IObjective objective) =>
        objective.Summed.Select(name =>
        {
            var node = model.Descriptor.Find(name)!;
            var entries = node.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => checked(a * b));
            var values = node.IndexPlate is { } plate ? model.GetPlateSize(plate) : 2;
            var probabilities = new double[checked(entries * values)];
            if (!objective.TryReadConditional(name, probabilities)) throw new InvalidOperationException($"the objective has no conditional for '{name}'");
            var described = node with { Name = $"{name}_probability", Support = ValueSupport.Real, IndexPlate = null };
            if (node.IndexPlate is { } over)
                return new NodeSummary(described with { Plates = [.. node.Plates, over] }, [.. node.Plates.Select(model.GetPlateSize), values], probabilities, null, null, null, null, null, null, null);
            var ones = Enumerable.Range(0, entries).Select(e => probabilities[2 * e + 1]).ToArray();
            return new NodeSummary(described, [.. node.Plates.Select(model.GetPlateSize)], ones, null, null, null, null, null, null, null);
        });

    /// <summary>E[y] at every entry of each observation with missing entries, as the node NAME_expected.</summary>
    private static List<NodeSummary> Predictions(IDeclaredModel model, IObjective objective) =>
        objective.Incomplete.Select(name =>
        {
            var node = model.Descriptor.Find(name)!;
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new double[shape.Aggregate(1, (a, b) => checked(a * b))];
            if (!objective.TryPredict(name, values)) throw new InvalidOperationException($"the objective predicts no expected value for '{name}'");
            return new NodeSummary(node with { Name = ExpectedName(name) }, shape, values, null, null, null, null, null, null, null);
        }).ToList();

    /// <summary>The dense output holding E[y] at every entry of an observation with missing entries.</summary>
    public static string ExpectedName(string observed) => $"{observed}_expected";

    /// <summary>Why the starting point has no finite log likelihood, naming the parameter whose gradient fails first where one does.</summary>
    private static string StartFailure(IObjective objective, UnconstrainedParameters parameters, double[] gradient)
    {
        var logLikelihood = objective.Evaluate(ReadOnlySpan<double>.Empty, Span<double>.Empty);
        if (!double.IsFinite(logLikelihood))
            return $"the log likelihood is {logLikelihood} at the starting values: some observation lies outside its distribution's support there; check the data against the model's supports, or give starting values";
        var bad = parameters.NonFinite(gradient);
        return $"the gradient of the log likelihood in '{bad?.Node}' (entry {bad?.Entry + 1}) is not finite at the starting values; check the data against the model's supports, or give starting values";
    }
}
