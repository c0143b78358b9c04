namespace Dsl.Runtime.Tests.Statistics;

/// <summary>
/// Statistical assertions that can fail. Thresholds: |z| &lt; 5 (a false alarm about once in 1.7 million checks) and
/// KS p-value &gt; 1e-4; with fixed seeds a passing test stays passing, and a biased sampler fails by far more.
/// </summary>
public static class StatCheck
{
    public const double ZBound = 5.0;
    public const double MinPValue = 1e-4;

    /// <summary>The sample mean and variance agree with the closed forms, as z-scores from the sample itself.</summary>
    public static void Moments(ReadOnlySpan<double> draws, double mean, double variance, string what)
    {
        var n = draws.Length;
        double sum = 0;
        foreach (var x in draws) sum += x;
        var sampleMean = sum / n;
        double squares = 0, fourth = 0;
        foreach (var x in draws)
        {
            var d = (x - mean) * (x - mean);
            squares += d;
            fourth += d * d;
        }
        var sampleVariance = squares / n;
        var zMean = (sampleMean - mean) / Math.Sqrt(variance / n);
        // Var of (x - mu)^2 estimated from the sample: E[(x-mu)^4] - sigma^4.
        var varianceOfSquares = Math.Max(fourth / n - sampleVariance * sampleVariance, 1e-300);
        var zVariance = (sampleVariance - variance) / Math.Sqrt(varianceOfSquares / n);
        Assert.True(double.IsFinite(sampleMean) && Math.Abs(zMean) < ZBound,
            $"{what}: mean {sampleMean:R} vs {mean:R} (z = {zMean:F2}, n = {n})");
        if (variance > 0)
            Assert.True(Math.Abs(zVariance) < ZBound,
                $"{what}: variance {sampleVariance:R} vs {variance:R} (z = {zVariance:F2}, n = {n})");
    }

    /// <summary>One-sample Kolmogorov-Smirnov test against a continuous CDF.</summary>
    public static void KolmogorovSmirnov(double[] draws, Func<double, double> cdf, string what)
    {
        var sorted = (double[])draws.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        double d = 0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
        }
        var p = KolmogorovPValue(Math.Sqrt(n) * d);
        Assert.True(p > MinPValue, $"{what}: KS D = {d:G4}, p = {p:G3} (n = {n})");
    }

    /// <summary>Chi-square goodness of fit for a discrete distribution, pooling cells with expected count &lt; 5.</summary>
    public static void ChiSquare(IReadOnlyList<long> observed, IReadOnlyList<double> probabilities, string what)
    {
        var n = observed.Sum();
        double statistic = 0;
        int cells = 0;
        double pooledExpected = 0, pooledObserved = 0;
        for (var k = 0; k < probabilities.Count; k++)
        {
            var expected = probabilities[k] * n;
            var seen = k < observed.Count ? observed[k] : 0;
            if (expected < 5) { pooledExpected += expected; pooledObserved += seen; continue; }
            statistic += (seen - expected) * (seen - expected) / expected;
            cells++;
        }
        if (pooledExpected >= 5) { statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected; cells++; }
        var extra = observed.Skip(probabilities.Count).Sum();
        Assert.True(extra == 0, $"{what}: {extra} draws outside the support");
        var p = 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(Math.Max(cells - 1, 1), statistic);
        Assert.True(p > MinPValue, $"{what}: chi-square {statistic:F1} on {cells - 1} df, p = {p:G3}");
    }

    /// <summary>P(K &gt; x) for the Kolmogorov distribution.</summary>
    public static double KolmogorovPValue(double x)
    {
        if (x < 0.2) return 1;
        double sum = 0;
        for (var k = 1; k < 100; k++)
            sum += 2 * (k % 2 == 1 ? 1 : -1) * Math.Exp(-2 * k * k * x * x);
        return Math.Clamp(sum, 0, 1);
    }
}
