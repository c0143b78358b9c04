using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Tests.Statistics;

namespace Dsl.Runtime.Tests.Kernels;

/// <summary>
/// PG(b, z): the CDFs the tests use reproduce the reference values, and both sampler paths (scalar
/// reference, Vector256) match the closed-form moments at 1e6 draws and the exact CDF by Kolmogorov-Smirnov.
/// </summary>
public sealed class PolyaGammaTests
{

    [Theory]
    [InlineData(1, 0.0, 0.25, 0.6292225702)]
    [InlineData(1, 2.0, 0.25, 0.753062094704)]
    [InlineData(1, 0.5, 0.25, 0.638498359792)]
    [InlineData(2, 1.0, 1.0, 0.956378469737)]
    [InlineData(10, 1.0, 2.5, 0.660991355212)]
    public void Cdf_MatchesReferenceValues(double b, double z, double w, double expected)
    {
        var cdf = b == 1 ? PolyaGammaCdf.One(z, w) : PolyaGammaCdf.General(b, z, w);

        Assert.Equal(expected, cdf, 1e-9);
        if (b == 1) Assert.Equal(expected, PolyaGammaCdf.General(1, z, w), 1e-9); // both forms agree
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(5.0)]
    public void MeanAndVariance_MatchTheDensity(double z)
    {
        var mean = MathNet.Numerics.Integrate.GaussKronrod(x => x * PolyaGammaCdf.Density(1, z, x), 0, 30, 1e-12, 20, 61);
        var second = MathNet.Numerics.Integrate.GaussKronrod(x => x * x * PolyaGammaCdf.Density(1, z, x), 0, 30, 1e-12, 20, 61);

        Assert.Equal(mean, PolyaGamma.Mean(1, z), 1e-10);
        Assert.Equal(second - mean * mean, PolyaGamma.Variance(1, z), 1e-10);
    }

    [Fact]
    public void Variance_SmallZSeries_JoinsTheClosedForm()
    {
        // Just above the switch at |z| = 1e-2 the closed form is still accurate to ~1e-12.
        Assert.Equal(PolyaGamma.Variance(1, 0.0100001), PolyaGamma.Variance(1, 0.0099999), 1e-9);
        Assert.Equal(1.0 / 24, PolyaGamma.Variance(1, 0), 1e-15);
    }

    private static double[] DrawOne(SamplerPath path, double z, int n, ulong seed)
    {
        var random = new RandomStream(seed, 0);
        var draws = new double[n];
        if (path == SamplerPath.Vector)
        {
            var zs = new double[n];
            Array.Fill(zs, z);
            PolyaGamma.SampleOne(zs, draws, ref random);
        }
        else
        {
            for (var i = 0; i < n; i++) draws[i] = PolyaGamma.SampleOne(z, ref random);
        }
        return draws;
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 0.0)]
    [InlineData(SamplerPath.Vector, 0.0)]
    [InlineData(SamplerPath.Scalar, 1e-7)]
    [InlineData(SamplerPath.Vector, 1e-7)]
    [InlineData(SamplerPath.Scalar, 0.5)]
    [InlineData(SamplerPath.Vector, 0.5)]
    [InlineData(SamplerPath.Scalar, 2.0)]
    [InlineData(SamplerPath.Vector, -2.0)]
    [InlineData(SamplerPath.Scalar, 10.0)]
    [InlineData(SamplerPath.Vector, 10.0)]
    [InlineData(SamplerPath.Scalar, 50.0)]
    [InlineData(SamplerPath.Vector, -50.0)]
    [InlineData(SamplerPath.Vector, 3.1)]   // the vector path's left proposal switches from 1/chi-square ...
    [InlineData(SamplerPath.Vector, 3.2)]   // ... to inverse Gaussian at |z| = 2 / t = 3.125
    public void One_MomentsAndKs(SamplerPath path, double z)
    {
        var draws = DrawOne(path, z, 1_000_000, 11);
        StatCheck.Moments(draws, PolyaGamma.Mean(1, z), PolyaGamma.Variance(1, z), $"PG(1, {z}) {path}");
        StatCheck.KolmogorovSmirnov(draws[..200_000], w => PolyaGammaCdf.One(z, w), $"PG(1, {z}) {path}");
    }

    [Theory]
    [InlineData(SamplerPath.Scalar)]
    [InlineData(SamplerPath.Vector)]
    public void One_VeryLargeZ_HasTheExactMoments(SamplerPath path)
    {
        // At z = 120 the vector path's right-piece weight underflows to exactly 0 (its true value is below
        // e^-2000). The exact CDF's series cannot be summed accurately this far out, so moments only.
        var draws = DrawOne(path, 120, 1_000_000, 13);
        StatCheck.Moments(draws, PolyaGamma.Mean(1, 120), PolyaGamma.Variance(1, 120), $"PG(1, 120) {path}");
    }

    [Fact]
    public void One_MixedZ_EachElementHasItsOwnDistribution()
    {
        // z cycles through four values; each quarter of the output is checked against its own law.
        var z = new[] { 0.0, 0.7, 3.0, -12.0 };
        var zs = Enumerable.Range(0, 400_000).Select(i => z[i % 4]).ToArray();
        var draws = new double[zs.Length];
        var random = new RandomStream(5, 1);
        PolyaGamma.SampleOne(zs, draws, ref random);

        for (var k = 0; k < 4; k++)
        {
            var mine = draws.Where((_, i) => i % 4 == k).ToArray();
            StatCheck.Moments(mine, PolyaGamma.Mean(1, z[k]), PolyaGamma.Variance(1, z[k]), $"mixed PG(1, {z[k]})");
            StatCheck.KolmogorovSmirnov(mine, w => PolyaGammaCdf.One(z[k], w), $"mixed PG(1, {z[k]})");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1024)]
    [InlineData(2051)]
    public void One_EveryElementIsDrawn_AtAnyLength(int length)
    {
        // The vector path hands elements to lanes as they accept; lengths around its 4-lane and 1024-element
        // blocks must still give every element a draw of its own z, and the same draws for the same seed.
        var zs = Enumerable.Range(0, length).Select(i => i % 2 == 0 ? 0.0 : 400.0).ToArray();
        var first = Enumerable.Repeat(double.NaN, length + 1).ToArray();
        var second = new double[length];
        var random = new RandomStream(8, 2);
        PolyaGamma.SampleOne(zs, first, ref random);
        random = new RandomStream(8, 2);
        PolyaGamma.SampleOne(zs, second, ref random);

        Assert.True(double.IsNaN(first[length]), "wrote past the end");
        Assert.Equal(second, first[..length]);
        // PG(1, 400) (mean 0.00125, sd 9e-5) exceeds 0.004 with probability below e^-300, and PG(1, 0) falls
        // below it with probability about e^-31: a draw landing at the wrong element would show.
        for (var i = 0; i < length; i++)
            Assert.True(i % 2 == 0 ? first[i] > 0.004 : first[i] is > 0 and < 0.004, $"element {i}: {first[i]}");
    }

    /// <summary>KS against a CDF evaluated only on a grid of sample quantiles (the exact CDF is an integral here).</summary>
    private static void GridKs(double[] draws, Func<double, double> cdf, string what)
    {
        var sorted = (double[])draws.Clone();
        Array.Sort(sorted);
        double d = 0;
        for (var q = 1; q < 400; q++)
        {
            var i = (int)((long)q * sorted.Length / 400);
            d = Math.Max(d, Math.Abs(cdf(sorted[i]) - (double)i / sorted.Length));
        }
        var p = StatCheck.KolmogorovPValue(Math.Sqrt(sorted.Length) * d);
        Assert.True(p > StatCheck.MinPValue, $"{what}: grid KS D = {d:G4}, p = {p:G3}");
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 2, 1.0)]
    [InlineData(SamplerPath.Vector, 2, 1.0)]
    [InlineData(SamplerPath.Vector, 10, 1.0)]
    [InlineData(SamplerPath.Scalar, 3, 0.0)]
    public void IntegerB_SumOfExactDraws_MatchesTheExactLaw(SamplerPath path, int b, double z)
    {
        var n = 300_000;
        var draws = new double[n];
        var random = new RandomStream(21, 0);
        if (path == SamplerPath.Vector)
            PolyaGamma.Sample(Enumerable.Repeat((double)b, n).ToArray(), Enumerable.Repeat(z, n).ToArray(), draws, ref random);
        else
            for (var i = 0; i < n; i++) draws[i] = PolyaGamma.Sample(b, z, ref random);

        StatCheck.Moments(draws, PolyaGamma.Mean(b, z), PolyaGamma.Variance(b, z), $"PG({b}, {z}) {path}");
        GridKs(draws, w => PolyaGammaCdf.General(b, z, w), $"PG({b}, {z}) {path}");
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 100, 1.0)]
    [InlineData(SamplerPath.Vector, 100, 1.0)]
    [InlineData(SamplerPath.Vector, 1000, 1.0)]
    [InlineData(SamplerPath.Scalar, 17.5, 0.0)]
    [InlineData(SamplerPath.Vector, 17.5, 0.0)]
    [InlineData(SamplerPath.Vector, 400, 25.0)]
    public void LargeB_SeriesMethod_HasTheExactMoments(SamplerPath path, double b, double z)
    {
        var random = new RandomStream(31, 0);
        var draws = new double[300_000];
        if (path == SamplerPath.Vector)
            PolyaGamma.Sample(Enumerable.Repeat(b, draws.Length).ToArray(), Enumerable.Repeat(z, draws.Length).ToArray(), draws, ref random);
        else
            for (var i = 0; i < draws.Length; i++) draws[i] = PolyaGamma.Sample(b, z, ref random);

        StatCheck.Moments(draws, PolyaGamma.Mean(b, z), PolyaGamma.Variance(b, z), $"PG({b}, {z}) {path}");
    }

    [Fact]
    public void LargeB_SeriesMethod_MatchesTheExactSum_TwoSampleKs()
    {
        // b = 20 by the series method against twenty exact PG(1) draws summed.
        var random = new RandomStream(41, 0);
        var n = 100_000;
        var series = new double[n];
        var exact = new double[n];
        PolyaGamma.Sample(Enumerable.Repeat(20.0, n).ToArray(), Enumerable.Repeat(1.5, n).ToArray(), series, ref random); // vector path
        for (var i = 0; i < n; i++)
            for (var r = 0; r < 20; r++) exact[i] += PolyaGamma.SampleOne(1.5, ref random);
        var d = TwoSampleKs(series, exact);
        var p = StatCheck.KolmogorovPValue(Math.Sqrt(n / 2.0) * d);
        Assert.True(p > StatCheck.MinPValue, $"two-sample KS D = {d:G4}, p = {p:G3}");
    }

    private static double TwoSampleKs(double[] a, double[] b)
    {
        var x = (double[])a.Clone();
        var y = (double[])b.Clone();
        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            if (x[i] <= y[j]) i++; else j++;
            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }
        return d;
    }
}
