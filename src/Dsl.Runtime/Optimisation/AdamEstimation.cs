using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Optimisation;

/// <summary>A minibatch's loss: −(log priors + N/count · the rows' log likelihood) and its gradient, at a point; +∞ where not finite.</summary>
public delegate double RowsLoss(ReadOnlySpan<double> x, Span<double> gradient, int start, int count);

/// <summary>
/// Adam (Kingma and Ba 2015, the networks' <see cref="Neural.Adam{T}"/> with ε = 1e-8 and no weight decay) on
/// minibatches of rows of the observations' first plate, for data too large for
/// full-batch passes to be cheap: each epoch visits every batch of <see cref="PointEstimationOptions.BatchSize"/>
/// consecutive rows once, in an order drawn from the seed and the epoch (so the same seed gives the same estimates
/// at any thread count and after a resume), each step on an unbiased estimate of the whole loss. After each epoch the
/// whole log likelihood is evaluated for the history; the run stops after the epochs, or when an epoch changes that by
/// less than the tolerance relative to its size.
/// </summary>
public static class AdamEstimation
{
    private const string Kind = "dsl-adam-checkpoint-1";
    private const ulong OrderStreams = 0xADA0_0000_0000UL;

    public static OptimiserRun Run(RowsLoss loss, double[] start, int rows, PointEstimationOptions options, CheckpointPlan? checkpoint,
        IProgress<(int Iteration, double LogLikelihood)>? progress)
    {
        var clock = Stopwatch.StartNew();
        var set = new Neural.ParameterSet<double>();
        var point = set.Add("parameters", start.Length, decays: false);
        start.CopyTo(point.Value, 0);
        var adam = new Neural.Adam<double>(set, options.LearningRate, epsilon: 1e-8, weightDecay: 0);
        var (x, gradient) = (point.Value, point.Gradient);
        var state = new[] { x }.Concat(adam.Moments).ToList();
        var history = new List<double[]>();
        int? resumedAfter = null;
        if (checkpoint is { Resume: true })
        {
            adam.Steps = (long)OptimiserCheckpoint.Load(checkpoint, Kind, options.Fingerprint, history, state)[0];
            resumedAfter = history.Count;
        }
        checkpoint?.RequireWritable();
        var lastSave = Stopwatch.StartNew();
        var batches = (rows + options.BatchSize - 1) / options.BatchSize;
        var order = new int[batches];
        var outcome = $"ran --epochs {options.Epochs}";
        var previousSeconds = history.Count == 0 ? 0 : history[^1][^1];
        var previous = history.Count == 0 ? double.NaN : -history[^1][1];
        while (history.Count < options.Epochs)
        {
            var epoch = history.Count + 1;
            Shuffle(order, new RandomStream(options.Seed ^ OrderStreams, (ulong)epoch));
            foreach (var batch in order)
            {
                var begin = batch * options.BatchSize;
                var count = Math.Min(options.BatchSize, rows - begin);
                if (!double.IsFinite(loss(x, gradient, begin, count)))
                    throw new InvalidDataException($"the log likelihood of rows {begin + 1} to {begin + count} is not finite at epoch {epoch}; lower --learning-rate, or check the data against the model's supports");
                adam.Step();
            }
            var whole = loss(x, gradient, 0, rows);
            history.Add([epoch, -whole, LbfgsEstimation.MaxAbs(gradient), previousSeconds + clock.Elapsed.TotalSeconds]);
            progress?.Report((epoch, -whole));
            if (checkpoint is not null && lastSave.Elapsed.TotalSeconds >= options.CheckpointSeconds)
            {
                OptimiserCheckpoint.Save(checkpoint, Kind, options.Fingerprint, history, state, [adam.Steps]);
                lastSave.Restart();
            }
            if (Math.Abs(previous - whole) <= options.Tolerance * Math.Max(Math.Abs(previous), Math.Abs(whole)))
            {
                outcome = "converged";
                break;
            }
            previous = whole;
        }
        if (checkpoint is not null) OptimiserCheckpoint.Save(checkpoint, Kind, options.Fingerprint, history, state, [adam.Steps]);
        var settings = new Dictionary<string, object>
        {
            ["optimiser"] = "Adam", ["epochs"] = options.Epochs, ["batch_size"] = options.BatchSize, ["learning_rate"] = options.LearningRate,
            ["steps"] = adam.Steps, ["tolerance"] = options.Tolerance, ["log_likelihood"] = history.Count == 0 ? double.NaN : history[^1][1],
        };
        return new OptimiserRun(x, history, "epoch", ["log_likelihood", "gradient_max_abs", "seconds"], outcome, resumedAfter, settings);
    }

    /// <summary>The batches 0..n−1 in a uniformly random order (Fisher-Yates).</summary>
    private static void Shuffle(int[] order, RandomStream random)
    {
        for (var i = 0; i < order.Length; i++) order[i] = i;
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(random.NextUInt32() % (uint)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
