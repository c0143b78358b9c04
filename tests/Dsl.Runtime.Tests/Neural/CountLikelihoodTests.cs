using Dsl.Runtime.Special;
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

    [Theory]
    [InlineData(7, 5.0, 1.0)]        // small counts: the rising-factorial path
    [InlineData(300, 5.0, 1.0)]      // counts above its limit, in some vectors only: lnΓ and ψ
    [InlineData(60, 2e4, 30.0)]      // θ so large that the rising factorial overflows near the limit
    [InlineData(7, 1e-3, 1e-3)]      // tiny θ and μ
    public void RowKernelsAgreeWithScalarOnesInFloatAndDouble(int countPeriod, double thetaScale, double meanScale)
    {
        const int length = 23; // five vectors and a scalar tail
        var count = Enumerable.Range(0, length).Select(i => (double)(i % 3 == 0 ? 0 : i * i % countPeriod)).ToArray();
        var mean = Enumerable.Range(0, length).Select(i => meanScale * (0.2 + i * 0.9)).ToArray();
        var theta = Enumerable.Range(0, length).Select(i => thetaScale * (0.3 + i % 5)).ToArray();
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
        // The scalar lnΓ(y+θ) − lnΓ(θ) cancels two numbers of order θ·log θ: ~1e-16 of that (1e-11 at θ = 1e5) is lost.
        var sumTolerance = 1e-9 + 1e-13 * Math.Abs(expected);
        Assert.Equal(expected, sum, sumTolerance);
        var single = CountLikelihoodRows.ZeroInflatedNegativeBinomial<float>(count.Select(v => (float)v).ToArray(), mean.Select(v => (float)v).ToArray(),
            theta.Select(v => (float)v).ToArray(), logit.Select(v => (float)v).ToArray(), new float[length], new float[length], new float[length]);
        // Inputs rounded to float move each term by ~1e-7 of its size (lnΓ terms of several thousand at the large counts).
        Assert.Equal(expected, single, 2e-6 * count.Sum(y => SpecialFunctions.LogGamma(y + 1) + 10));

        var nb = CountLikelihoodRows.NegativeBinomial<double>(count, mean, theta, dm, dt);
        var expectedNb = 0.0;
        for (var i = 0; i < length; i++)
        {
            expectedNb += CountLikelihood.NegativeBinomial(count[i], mean[i], theta[i], out var m, out var t);
            Assert.Equal(m, dm[i], 10);
            Assert.Equal(t, dt[i], 10);
        }
        Assert.Equal(expectedNb, nb, 1e-9 + 1e-13 * Math.Abs(expectedNb));
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
