using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Special;
using Dsl.Runtime.Tests.Statistics;
using Xunit;

namespace Dsl.Runtime.Tests.Kernels;

public sealed class TruncatedNormalTests
{
    /// <summary>
    /// Draws above a bound against the exact CDF, 1 − Φ(−x)/Φ(−a) (written with upper tails so it keeps its digits
    /// far out), on both sides of the switch from plain draws to the exponential proposal (0.45) and far in the tail.
    /// </summary>
    [Theory]
    [InlineData(-2.0)]
    [InlineData(0.0)]
    [InlineData(0.44)]
    [InlineData(0.46)]
    [InlineData(3.0)]
    [InlineData(12.0)]
    public void DrawsAboveABound_FollowTheTruncatedCdf(double a)
    {
        var random = new RandomStream(31, (ulong)(a * 100 + 1000));
        var draws = new double[20_000];
        for (var n = 0; n < draws.Length; n++) draws[n] = TruncatedNormal.AboveBound(a, ref random);
        Assert.All(draws, x => Assert.True(x > a));
        StatCheck.KolmogorovSmirnov(draws, x => x <= a ? 0 : 1 - SpecialFunctions.NormalCdf(-x) / SpecialFunctions.NormalCdf(-a), $"Normal truncated above {a}");
    }

    /// <summary>
    /// The mean of a Binomial entry's utilities is the average of its successes' upper and its failures' lower
    /// truncated means: 3 of 8 at η = 0.4 against the exact value, 20,000 draws of sd below 1/√8 within 0.01 (4 sd).
    /// </summary>
    [Fact]
    public void MeanUtility_AveragesBothSides()
    {
        var random = new RandomStream(9, 3);
        const double mean = 0.4;
        var draws = new double[20_000];
        for (var n = 0; n < draws.Length; n++) draws[n] = TruncatedNormal.MeanUtility(mean, 8, 3, ref random);
        var density = Math.Exp(-mean * mean / 2) / Math.Sqrt(2 * Math.PI);
        var expected = (3 * (mean + density / SpecialFunctions.NormalCdf(mean)) + 5 * (mean - density / SpecialFunctions.NormalCdf(-mean))) / 8;
        Assert.InRange(draws.Average(), expected - 0.01, expected + 0.01);
        Assert.Throws<ArgumentException>(() => TruncatedNormal.MeanUtility(mean, 8, 9, ref random));
    }

    /// <summary>
    /// A probit utility lies on its response's side of zero, and its mean is the truncated Normal's: η + φ(η)/Φ(η)
    /// for y = 1 and η − φ(η)/Φ(−η) for y = 0. 20,000 draws of variance below 1 put the mean within 0.03 (4 sd).
    /// </summary>
    [Theory]
    [InlineData(0.3, true)]
    [InlineData(0.3, false)]
    [InlineData(-2.5, true)]
    [InlineData(4.0, false)]
    public void ProbitUtilities_LieOnTheirSide_WithTheTruncatedMean(double mean, bool positive)
    {
        var random = new RandomStream(8, positive ? 1UL : 2UL);
        var draws = new double[20_000];
        for (var n = 0; n < draws.Length; n++) draws[n] = TruncatedNormal.Utility(mean, positive, ref random);
        Assert.All(draws, u => Assert.True(positive ? u > 0 : u <= 0));
        var density = Math.Exp(-mean * mean / 2) / Math.Sqrt(2 * Math.PI);
        var expected = positive ? mean + density / SpecialFunctions.NormalCdf(mean) : mean - density / SpecialFunctions.NormalCdf(-mean);
        Assert.InRange(draws.Average(), expected - 0.03, expected + 0.03);
    }
}
