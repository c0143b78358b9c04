using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Tests.Statistics;

namespace Dsl.Runtime.Tests.Kernels;

/// <summary>Gamma, beta and Dirichlet: scalar and vector paths against closed-form moments and exact CDFs.</summary>
public sealed class ContinuousSamplerTests
{

    [Theory]
    [InlineData(SamplerPath.Scalar, 0.05)]
    [InlineData(SamplerPath.Vector, 0.05)]
    [InlineData(SamplerPath.Scalar, 0.5)]
    [InlineData(SamplerPath.Vector, 1.0)]
    [InlineData(SamplerPath.Scalar, 10.0)]
    [InlineData(SamplerPath.Vector, 10.0)]
    [InlineData(SamplerPath.Scalar, 1000.0)]
    [InlineData(SamplerPath.Vector, 1000.0)]
    public void Gamma_MomentsAndKs(SamplerPath path, double shape)
    {
        var random = new RandomStream(3, 0);
        var draws = new double[1_000_000];
        if (path == SamplerPath.Vector) Gamma.Sample(Enumerable.Repeat(shape, draws.Length).ToArray(), draws, ref random);
        else for (var i = 0; i < draws.Length; i++) draws[i] = Gamma.Sample(shape, ref random);

        StatCheck.Moments(draws, shape, shape, $"Gamma({shape}) {path}");
        StatCheck.KolmogorovSmirnov(draws[..200_000], x => GammaCdf(shape, x), $"Gamma({shape}) {path}");
    }

    /// <summary>
    /// P(a, x). MathNet returns 0 below x ~ 1e-15, where Gamma(0.05) still has a third of its mass, so for x &lt; a + 1
    /// this sums the series x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)) in log space.
    /// </summary>
    internal static double GammaCdf(double a, double x)
    {
        if (x <= 0) return 0;
        if (x >= a + 1) return MathNet.Numerics.SpecialFunctions.GammaLowerRegularized(a, x);
        double term = 1, sum = 1;
        for (var n = 1; n < 1000 && term > 1e-17 * sum; n++)
        {
            term *= x / (a + n);
            sum += term;
        }
        return Math.Exp(a * Math.Log(x) - x - MathNet.Numerics.SpecialFunctions.GammaLn(a + 1)) * sum;
    }

    [Fact]
    public void Gamma_TinyShape_LogDrawsStayFinite()
    {
        var random = new RandomStream(4, 0);
        for (var i = 0; i < 10_000; i++) Assert.True(double.IsFinite(Gamma.SampleLog(0.001, ref random)));
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 0.5, 0.5)]
    [InlineData(SamplerPath.Vector, 0.5, 0.5)]
    [InlineData(SamplerPath.Scalar, 2.0, 5.0)]
    [InlineData(SamplerPath.Vector, 0.05, 3.0)]
    public void Beta_MomentsAndKs(SamplerPath path, double a, double b)
    {
        var random = new RandomStream(5, 0);
        var draws = new double[400_000];
        if (path == SamplerPath.Vector) Beta.Sample(Enumerable.Repeat(a, draws.Length).ToArray(), Enumerable.Repeat(b, draws.Length).ToArray(), draws, ref random);
        else for (var i = 0; i < draws.Length; i++) draws[i] = Beta.Sample(a, b, ref random);

        var s = a + b;
        StatCheck.Moments(draws, a / s, a * b / (s * s * (s + 1)), $"Beta({a}, {b}) {path}");
        StatCheck.KolmogorovSmirnov(draws[..200_000], x => MathNet.Numerics.Distributions.Beta.CDF(a, b, Math.Clamp(x, 0, 1)), $"Beta({a}, {b}) {path}");
    }

    [Theory]
    [InlineData(3, 400_001)]   // the odd row out goes through the scalar path
    [InlineData(50, 40_000)]
    public void Dirichlet_PerRowAlpha_MarginalsAreBetas(int k, int rows)
    {
        // Two alternating alpha rows; component j of a row is Beta(alpha_j, alpha0 - alpha_j).
        double[][] alphas = [Enumerable.Range(0, k).Select(j => 0.1 + 0.7 * j).ToArray(), Enumerable.Range(0, k).Select(j => 5.0 / (j + 1)).ToArray()];
        var alpha = new double[rows * k];
        for (var r = 0; r < rows; r++) alphas[r % 2].CopyTo(alpha, r * k);
        var draws = new double[alpha.Length];
        var random = new RandomStream(6, 0);

        Dirichlet.Sample(alpha, k, draws, ref random);

        for (var r = 0; r < Math.Min(rows, 1000); r++) Assert.Equal(1.0, draws.AsSpan(r * k, k).ToArray().Sum(), 1e-12);
        foreach (var row in new[] { 0, 1 })
        {
            var a0 = alphas[row].Sum();
            foreach (var j in new[] { 0, k - 1 })
            {
                var aj = alphas[row][j];
                var component = Enumerable.Range(0, rows).Where(r => r % 2 == row).Select(r => draws[r * k + j]).ToArray();
                StatCheck.Moments(component, aj / a0, aj * (a0 - aj) / (a0 * a0 * (a0 + 1)), $"Dirichlet K={k} row {row} component {j}");
                StatCheck.KolmogorovSmirnov(component[..Math.Min(component.Length, 100_000)],
                    x => MathNet.Numerics.Distributions.Beta.CDF(aj, a0 - aj, Math.Clamp(x, 0, 1)), $"Dirichlet K={k} component {j}");
            }
        }
    }

    [Fact]
    public void DirichletRow_WithTinyConcentrations_KeepsAFiniteLogWhereTheDrawUnderflows()
    {
        // Concentration 1e-3 on one of two components: its share is below 1e-300 in a sizeable fraction of draws
        // (P(Gamma(1e-3) < 1e-300) = about 0.5), so the draw rounds to 0 while its log stays finite.
        var random = new RandomStream(9, 0);
        double[] alpha = [1e-3, 5];
        var draw = new double[2];
        var log = new double[2];
        var underflows = 0;
        for (var n = 0; n < 2000; n++)
        {
            Dirichlet.SampleRow(alpha, draw, log, ref random);
            Assert.All(log, l => Assert.True(double.IsFinite(l) && l <= 0, $"log share {l}"));
            Assert.Equal(1.0, draw[0] + draw[1], 12);
            for (var k = 0; k < 2; k++) Assert.Equal(draw[k], Math.Exp(log[k]), 15);
            if (draw[0] == 0) underflows++;
        }
        Assert.True(underflows > 100, $"only {underflows} underflows: the test no longer reaches the case it guards");
    }
}
