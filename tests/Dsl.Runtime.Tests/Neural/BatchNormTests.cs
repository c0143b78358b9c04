using Dsl.Runtime.Neural;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Neural;

/// <summary>Batch norm's running statistics: momentum averages in training, pooled population statistics on request.</summary>
public class BatchNormTests
{
    private const int Features = 3;

    private static double[][] Batches(params int[] sizes)
    {
        var random = new RandomStream(4, 2);
        // Features of different location and scale, so a mix-up of mean, variance or feature would show.
        return sizes.Select(rows => Enumerable.Range(0, rows * Features).Select(k => (k % Features + 1) * (random.NextNormal() + 5 * (k % Features))).ToArray()).ToArray();
    }

    /// <summary>The running mean and variance (the layer's two state arrays, after its scale and shift).</summary>
    private static (double[] Mean, double[] Variance) Running(ParameterSet<double> parameters)
    {
        var arrays = parameters.Arrays.ToList();
        return (arrays[^2], arrays[^1]);
    }

    [Fact]
    public void PopulationStatistics_AreThoseOfEveryPooledRow()
    {
        var parameters = new ParameterSet<double>();
        var norm = new BatchNorm<double>(parameters, "n", Features);
        var batches = Batches(7, 4, 9, 3);
        norm.BeginPopulationStatistics();
        foreach (var batch in batches) norm.Forward((double[])batch.Clone(), batch.Length / Features, new double[batch.Length], training: true);
        // While pooling, the running averages are left alone.
        Assert.Equal(new double[Features], Running(parameters).Mean);
        Assert.Equal(Enumerable.Repeat(1.0, Features), Running(parameters).Variance);
        norm.EndPopulationStatistics();

        var rows = batches.SelectMany(b => b.Chunk(Features)).ToArray();
        for (var j = 0; j < Features; j++)
        {
            var column = rows.Select(r => r[j]).ToArray();
            var mean = column.Average();
            var unbiased = column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1);
            // Pooling merges batch moments exactly; only rounding separates it from the direct two-pass formula.
            Assert.Equal(mean, Running(parameters).Mean[j], 1e-12);
            Assert.Equal(unbiased, Running(parameters).Variance[j], 1e-10);
        }
    }

    [Fact]
    public void WithoutPooling_TrainingUpdatesTheRunningAveragesByMomentum()
    {
        var parameters = new ParameterSet<double>();
        var norm = new BatchNorm<double>(parameters, "n", Features);
        var batch = Batches(6)[0];
        norm.Forward((double[])batch.Clone(), 6, new double[batch.Length], training: true);
        var column = batch.Chunk(Features).Select(r => r[1]).ToArray();
        var mean = column.Average();
        var unbiased = column.Sum(v => (v - mean) * (v - mean)) / 5;
        // PyTorch's update at momentum 0.01 from mean 0 and variance 1.
        Assert.Equal(0.01 * mean, Running(parameters).Mean[1], 1e-12);
        Assert.Equal(0.99 + 0.01 * unbiased, Running(parameters).Variance[1], 1e-12);
    }

    [Fact]
    public void EndWithoutBegin_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new BatchNorm<double>(new ParameterSet<double>(), "n", Features).EndPopulationStatistics());
}
