using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Dsl.Runtime.Neural;

/// <summary>
/// Batch normalisation over the rows of a minibatch (PyTorch's BatchNorm1d with scvi-tools' momentum 0.01 and
/// eps 0.001): training normalises by the minibatch's statistics and updates running ones; evaluation uses those.
/// Between <see cref="BeginPopulationStatistics"/> and <see cref="EndPopulationStatistics"/>, training-mode passes
/// instead pool their minibatches' statistics, which then replace the running ones.
/// </summary>
public sealed class BatchNorm<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const double Momentum = 0.01;
    private const double Epsilon = 1e-3;
    private readonly T[] runningMean;
    private readonly T[] runningVariance;
    private readonly T[] inverseStd;
    private readonly T[] sum;
    private readonly T[] product;
    private readonly T[] factor;
    private T[] normalised = Array.Empty<T>();
    private bool lastTraining;
    private PooledMoments? population;

    public BatchNorm(ParameterSet<T> parameters, string name, int features)
    {
        Features = features;
        Scale = parameters.Add(name + ".scale", features, decays: false);
        Shift = parameters.Add(name + ".shift", features, decays: false);
        Array.Fill(Scale.Value, T.One);
        runningMean = parameters.AddState(name + ".running_mean", features);
        runningVariance = parameters.AddState(name + ".running_var", features);
        Array.Fill(runningVariance, T.One);
        parameters.AddNormalisation(this);
        inverseStd = new T[features];
        sum = new T[features];
        product = new T[features];
        factor = new T[features];
    }

    public int Features { get; }
    public Parameter<T> Scale { get; }
    public Parameter<T> Shift { get; }

    /// <summary>
    /// From now on, training-mode passes pool their statistics into <paramref name="pooled"/> instead of updating the
    /// running averages; layers that share their weights (and running statistics) share one pool.
    /// </summary>
    internal void BeginPopulationStatistics(PooledMoments pooled) => population = pooled;

    /// <summary>From now on, training-mode passes pool their statistics instead of updating the running averages.</summary>
    public void BeginPopulationStatistics() => population = new PooledMoments(Features);

    internal PooledMoments? Population => population;

    /// <summary>Whether two layers hold one set of running statistics (a shared network applied to two cell plates).</summary>
    internal bool SharesStatisticsWith(BatchNorm<T> other) => ReferenceEquals(runningMean, other.runningMean);

    /// <summary>The running mean and (unbiased) variance become those of every row pooled since <see cref="BeginPopulationStatistics"/>.</summary>
    public void EndPopulationStatistics()
    {
        var pooled = population ?? throw new InvalidOperationException("EndPopulationStatistics without BeginPopulationStatistics");
        population = null;
        if (pooled.Rows < 2) return;
        for (var j = 0; j < Features; j++)
        {
            runningMean[j] = T.CreateTruncating(pooled.Mean[j]);
            runningVariance[j] = T.CreateTruncating(pooled.SquaredDeviations[j] / (pooled.Rows - 1));
        }
    }

    /// <summary>output = scale·(input − mean)/sd + shift, row by row (input and output may be the same array).</summary>
    public void Forward(T[] input, int rows, T[] output, bool training)
    {
        var f = Features;
        var xhat = Buffers.Ensure(ref normalised, rows * f);
        lastTraining = training && rows > 1;
        var mean = sum;
        if (lastTraining)
        {
            Array.Clear(mean);
            Array.Clear(product);
            for (var r = 0; r < rows; r++) TensorPrimitives.Add(mean, input.AsSpan(r * f, f), mean);
            var count = T.CreateTruncating(rows);
            TensorPrimitives.Divide(mean, count, mean);
            for (var r = 0; r < rows; r++)
            {
                // xhat's row holds the centred values until the normalisation below overwrites it.
                var centred = xhat.AsSpan(r * f, f);
                TensorPrimitives.Subtract(input.AsSpan(r * f, f), mean, centred);
                TensorPrimitives.MultiplyAdd(centred, centred, product, product);
            }
            var momentum = T.CreateTruncating(Momentum);
            population?.Add(rows, mean, product);
            for (var j = 0; j < f; j++)
            {
                var variance = product[j] / count;
                inverseStd[j] = T.One / T.Sqrt(variance + T.CreateTruncating(Epsilon));
                if (population is not null) continue;
                // The running variance is the unbiased estimate, as in PyTorch.
                var unbiased = product[j] / T.CreateTruncating(rows - 1);
                runningMean[j] += momentum * (mean[j] - runningMean[j]);
                runningVariance[j] += momentum * (unbiased - runningVariance[j]);
            }
        }
        else
        {
            Array.Copy(runningMean, mean, f);
            for (var j = 0; j < f; j++) inverseStd[j] = T.One / T.Sqrt(runningVariance[j] + T.CreateTruncating(Epsilon));
        }
        for (var r = 0; r < rows; r++)
        {
            var row = xhat.AsSpan(r * f, f);
            TensorPrimitives.Subtract(input.AsSpan(r * f, f), mean, row);
            TensorPrimitives.Multiply(row, inverseStd, row);
            TensorPrimitives.MultiplyAdd(row, Scale.Value, Shift.Value, output.AsSpan(r * f, f));
        }
    }

    /// <summary>Adds the scale and shift gradients and turns the output gradient into the input gradient in place.</summary>
    public void Backward(T[] gradient, int rows)
    {
        var f = Features;
        var xhat = normalised;
        Array.Clear(sum);
        Array.Clear(product);
        for (var r = 0; r < rows; r++)
        {
            var row = gradient.AsSpan(r * f, f);
            TensorPrimitives.Add(sum, row, sum);
            TensorPrimitives.MultiplyAdd(row, xhat.AsSpan(r * f, f), product, product);
        }
        TensorPrimitives.Add(Shift.Gradient, sum, Shift.Gradient);
        TensorPrimitives.Add(Scale.Gradient, product, Scale.Gradient);
        TensorPrimitives.Multiply(inverseStd, Scale.Value, factor);
        if (!lastTraining)
        {
            for (var r = 0; r < rows; r++) TensorPrimitives.Multiply(gradient.AsSpan(r * f, f), factor, gradient.AsSpan(r * f, f));
            return;
        }
        // d input = scale/sd · (dy − mean(dy) − xhat·mean(dy·xhat)): the batch statistics depend on every row.
        var count = T.CreateTruncating(rows);
        TensorPrimitives.Divide(sum, count, sum);
        TensorPrimitives.Divide(product, -count, product);
        for (var r = 0; r < rows; r++)
        {
            var row = gradient.AsSpan(r * f, f);
            TensorPrimitives.Subtract(row, sum, row);
            TensorPrimitives.MultiplyAdd(xhat.AsSpan(r * f, f), product, row, row);
            TensorPrimitives.Multiply(row, factor, row);
        }
    }
}

/// <summary>
/// Per-feature mean and sum of squared deviations over every row of several minibatches, merged batch by batch
/// (Chan, Golub and LeVeque's pairwise update) so no large sum of squares is ever differenced.
/// </summary>
internal sealed class PooledMoments(int features)
{
    public long Rows { get; private set; }
    public double[] Mean { get; } = new double[features];
    public double[] SquaredDeviations { get; } = new double[features];

    /// <summary>Adds a minibatch given its row count, per-feature means and sums of squared deviations from them.</summary>
    public void Add<T>(int rows, ReadOnlySpan<T> mean, ReadOnlySpan<T> squaredDeviations) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var total = Rows + rows;
        for (var j = 0; j < Mean.Length; j++)
        {
            var delta = double.CreateTruncating(mean[j]) - Mean[j];
            Mean[j] += delta * rows / total;
            SquaredDeviations[j] += double.CreateTruncating(squaredDeviations[j]) + delta * delta * Rows * rows / total;
        }
        Rows = total;
    }
}
