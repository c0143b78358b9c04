using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Hmc;

/// <summary>The dense metric's three operations against their definitions: M⁻¹p, pᵀM⁻¹p and momenta drawn with covariance M.</summary>
public sealed class MetricTests
{
    private static readonly double[] covariance = [4, 1.8, 0.5, 1.8, 1, 0.2, 0.5, 0.2, 2];

    [Fact]
    public void SharpAndKinetic_AreTheCovarianceTimesTheMomentum()
    {
        var metric = new Metric(3);
        metric.SetDense(covariance);
        double[] p = [0.3, -1.2, 0.7];
        var sharp = new double[3];
        metric.Sharp(p, sharp);
        for (var i = 0; i < 3; i++) Assert.Equal(Enumerable.Range(0, 3).Sum(j => covariance[i * 3 + j] * p[j]), sharp[i], 1e-14);
        Assert.Equal(p.Zip(sharp, (a, b) => a * b).Sum(), metric.Kinetic(p), 1e-14);
        var position = new double[3];
        metric.Drift(position, p, 0.5);
        for (var i = 0; i < 3; i++) Assert.Equal(0.5 * sharp[i], position[i], 1e-14);
    }

    [Fact]
    public void DrawnMomenta_HaveTheMetricsInverseAsCovariance()
    {
        var metric = new Metric(3);
        metric.SetDense(covariance);
        var inverse = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(3, 3, (i, j) => covariance[i * 3 + j]).Inverse();
        var random = new RandomStream(11, 0);
        const int draws = 200_000;
        var sums = new double[3, 3];
        var p = new double[3];
        for (var n = 0; n < draws; n++)
        {
            metric.Draw(p, ref random);
            for (var i = 0; i < 3; i++)
                for (var j = 0; j < 3; j++) sums[i, j] += p[i] * p[j];
        }
        // A second moment from 2e5 normal draws scatters by about sqrt(2/2e5) = 0.3 % of its scale; 2 % is a wide margin
        // that a draw from M⁻¹ (the covariance itself) or from L instead of L⁻ᵀ would still miss by far.
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(inverse[i, j], sums[i, j] / draws, 0.02 * Math.Sqrt(inverse[i, i] * inverse[j, j]));
    }

    [Fact]
    public void ADenseMetricThatIsNotPositiveDefinite_IsRefused_AndLeavesTheMetricAsItWas()
    {
        var metric = new Metric(2);
        Assert.Throws<InvalidOperationException>(() => metric.SetDense([1, 2, 2, 1]));
        Assert.False(metric.TrySetDense([1, 2, 2, 1]));
        Assert.False(metric.IsDense);
        Assert.Equal([1.0, 1.0], metric.Values.ToArray());
    }
}
