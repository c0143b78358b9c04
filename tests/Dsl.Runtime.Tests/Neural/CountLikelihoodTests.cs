using Dsl.Runtime.Variational;
using Xunit;

namespace Dsl.Runtime.Tests.Neural;

/// <summary>The count likelihoods: normalised over the counts, the row kernels equal to the scalar ones, derivatives against differences.</summary>
public class CountLikelihoodTests
{
    [Theory]
    [InlineData(0.5, 2.0, -1.0)]
    [InlineData(20.0, 0.3, 2.0)]
    [InlineData(3.0, 50.0, -4.0)]
    public void ZinbSumsToOneOverCountsAndMatchesDifferences(double mean, double theta, double logit)
    {
        var total = 0.0;
        for (var y = 0; y < 5000; y++) total += Math.Exp(CountLikelihood.ZeroInflatedNegativeBinomial((double)y, mean, theta, logit, out _, out _, out _));
        Assert.Equal(1.0, total, 9);
        foreach (var y in new[] { 0.0, 1.0, 7.0 })
        {
            CountLikelihood.ZeroInflatedNegativeBinomial(y, mean, theta, logit, out var dMean, out var dTheta, out var dLogit);
            const double h = 1e-6;
            double F(double m, double t, double l) => CountLikelihood.ZeroInflatedNegativeBinomial(y, m, t, l, out _, out _, out _);
            // Central differences in double: error ~1e-9 here, far below the 1e-6 allowed.
            Assert.Equal((F(mean + h, theta, logit) - F(mean - h, theta, logit)) / (2 * h), dMean, 6);
            Assert.Equal((F(mean, theta + h, logit) - F(mean, theta - h, logit)) / (2 * h), dTheta, 6);
            Assert.Equal((F(mean, theta, logit + h) - F(mean, theta, logit - h)) / (2 * h), dLogit, 6);
        }
    }

    [Fact]
    public void PoissonAndNegativeBinomialSumToOne()
    {
        var poisson = 0.0;
        var nb = 0.0;
        for (var y = 0; y < 3000; y++)
        {
            poisson += Math.Exp(CountLikelihood.Poisson((double)y, 12.5, out _));
            nb += Math.Exp(CountLikelihood.NegativeBinomial((double)y, 12.5, 1.7, out _, out _));
        }
        Assert.Equal(1.0, poisson, 9);
        Assert.Equal(1.0, nb, 9);
    }

    [Fact]
    public void RowKernelsAgreeWithScalarOnesInFloatAndDouble()
    {
        const int length = 23; // five vectors and a scalar tail
        var count = Enumerable.Range(0, length).Select(i => (double)(i % 3 == 0 ? 0 : i % 7)).ToArray();
        var mean = Enumerable.Range(0, length).Select(i => 0.2 + i * 0.9).ToArray();
        var theta = Enumerable.Range(0, length).Select(i => 0.3 + i % 5).ToArray();
        var logit = Enumerable.Range(0, length).Select(i => -3 + 0.3 * i).ToArray();
        var (dm, dt, dl) = (new double[length], new double[length], new double[length]);
        var sum = CountLikelihoodRows.ZeroInflatedNegativeBinomial<double>(count, mean, theta, logit, dm, dt, dl);
        var expected = 0.0;
        for (var i = 0; i < length; i++)
        {
            expected += CountLikelihood.ZeroInflatedNegativeBinomial(count[i], mean[i], theta[i], logit[i], out var m, out var t, out var l);
            // The vector lnΓ/ψ differ from the scalar ones by a few ulps (both within 1e-14 of MathNet; see VectorMathTests).
            Assert.Equal(m, dm[i], 10);
            Assert.Equal(t, dt[i], 10);
            Assert.Equal(l, dl[i], 10);
        }
        Assert.Equal(expected, sum, 9);
        var single = CountLikelihoodRows.ZeroInflatedNegativeBinomial<float>(count.Select(v => (float)v).ToArray(), mean.Select(v => (float)v).ToArray(),
            theta.Select(v => (float)v).ToArray(), logit.Select(v => (float)v).ToArray(), new float[length], new float[length], new float[length]);
        Assert.Equal(expected, single, 3); // inputs rounded to float: ~1e-6 relative on a sum of order 100
    }

    [Fact]
    public void NormalKlMatchesClosedFormAndDifferences()
    {
        var kl = NormalKl.Divergence(0.3, 0.5, -0.2, 2.0, out var dMean, out var dVariance);
        Assert.Equal(0.5 * (Math.Log(2.0 / 0.5) + (0.5 + 0.25) / 2.0 - 1), kl, 12);
        const double h = 1e-6;
        Assert.Equal((NormalKl.Divergence(0.3 + h, 0.5, -0.2, 2.0, out _, out _) - NormalKl.Divergence(0.3 - h, 0.5, -0.2, 2.0, out _, out _)) / (2 * h), dMean, 7);
        Assert.Equal((NormalKl.Divergence(0.3, 0.5 + h, -0.2, 2.0, out _, out _) - NormalKl.Divergence(0.3, 0.5 - h, -0.2, 2.0, out _, out _)) / (2 * h), dVariance, 7);
    }
}
