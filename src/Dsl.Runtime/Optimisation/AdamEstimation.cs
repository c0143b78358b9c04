using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Optimisation;

/// <summary>A minibatch's loss: −(log priors + N/count · the rows' log likelihood) and its gradient, at a point; +∞ where not finite.</summary>
public delegate double RowsLoss(ReadOnlySpan<double> x, Span<double> gradient, int start, int count);

/// <summary>
/// Adam (Kingma and Ba 2015) on minibatches of rows of the observations' first plate, for data too large for
/// full-batch passes to be cheap: each epoch visits every batch of <see cref="PointEstimationOptions.BatchSize"/>
/// consecutive rows once, in an order drawn from the seed and the epoch (so the same seed gives the same estimates
/// at any thread count and after a resume), each step on an unbiased estimate of the whole loss. After each epoch the
/// whole log likelihood is evaluated for the history; the run stops after the epochs, or when an epoch changes that by
/// less than the tolerance relative to its size.
/// </summary>
public static class AdamEstimation
{
    private const string Kind = "dsl-adam-checkpoint-1";
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private const ulong OrderStreams = 0xADA0_0000_0000UL;

    public static OptimiserRun Run(RowsLoss loss, double[] start, int rows, PointEstimationOptions options, CheckpointPlan? checkpoint,
        IProgress<(int Iteration, double LogLikelihood)>? progress)
    {
        var clock = Stopwatch.StartNew();
        var x = start;
        var (gradient, first, second) = (new double[x.Length], new double[x.Length], new double[x.Length]);
        var history = new List<double[]>();
        var steps = 0L;
        int? resumedAfter = null;
        if (checkpoint is { Resume: true })
        {
            steps = (long)OptimiserCheckpoint.Load(checkpoint, Kind, options.Fingerprint, history, [x, first, second])[0];
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
                steps++;
                Step(x, gradient, first, second, steps, options.LearningRate);
            }
            var whole = loss(x, gradient, 0, rows);
            history.Add([epoch, -whole, LbfgsEstimation.MaxAbs(gradient), previousSeconds + clock.Elapsed.TotalSeconds]);
            progress?.Report((epoch, -whole));
            if (checkpoint is not null && lastSave.Elapsed.TotalSeconds >= options.CheckpointSeconds)
            {
                OptimiserCheckpoint.Save(checkpoint, Kind, options.Fingerprint, history, [x, first, second], [steps]);
                lastSave.Restart();
            }
            if (Math.Abs(previous - whole) <= options.Tolerance * Math.Max(Math.Abs(previous), Math.Abs(whole)))
            {
                outcome = "converged";
                break;
            }
            previous = whole;
        }
        if (checkpoint is not null) OptimiserCheckpoint.Save(checkpoint, Kind, options.Fingerprint, history, [x, first, second], [steps]);
        var settings = new Dictionary<string, object>
        {
            ["optimiser"] = "Adam", ["epochs"] = options.Epochs, ["batch_size"] = options.BatchSize, ["learning_rate"] = options.LearningRate,
            ["steps"] = steps, ["tolerance"] = options.Tolerance, ["log_likelihood"] = history.Count == 0 ? double.NaN : history[^1][1],
        };
        return new OptimiserRun(x, history, "epoch", ["log_likelihood", "gradient_max_abs", "seconds"], outcome, resumedAfter, settings);
    }

    /// <summary>One Adam step downhill with bias-corrected moments (step number <paramref name="t"/>, from 1).</summary>
    private static void Step(double[] x, double[] gradient, double[] first, double[] second, long t, double rate)
    {
        var (correction1, correction2) = (1 - Math.Pow(Beta1, t), 1 - Math.Pow(Beta2, t));
        for (var i = 0; i < x.Length; i++)
        {
            first[i] = Beta1 * first[i] + (1 - Beta1) * gradient[i];
            second[i] = Beta2 * second[i] + (1 - Beta2) * gradient[i] * gradient[i];
            x[i] -= rate * (first[i] / correction1) / (Math.Sqrt(second[i] / correction2) + Epsilon);
        }
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
