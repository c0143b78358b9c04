using Dsl.Runtime.Inference.Rules;
using Dsl.Runtime.Random;
using Dsl.Runtime.Tests.Kernels;
using Dsl.Runtime.Tests.Statistics;
using Xunit;

namespace Dsl.Runtime.Tests.Inference;

public sealed class SliceSamplerTests
{
    /// <summary>Gamma(3, 1) up to a constant: -infinity off the support, so stepping out meets a hard edge.</summary>
    private struct GammaThree : IScalarLogDensity
    {
        public readonly double LogDensity(double x) => x <= 0 ? double.NegativeInfinity : 2 * Math.Log(x) - x;
    }

    /// <summary>
    /// The chain's draws, thinned to every fiftieth, must pass a KS test against the exact CDF whatever the width: the
    /// slice sampler is exact for any w, which sets only its cost. Widths 0.05 and 50 are 1/35 and 30 times the sd.
    /// </summary>
    [Theory]
    [InlineData(0.05)]
    [InlineData(1.0)]
    [InlineData(50.0)]
    public void Draws_FollowTheTargetDensity_AtAnyWidth(double width)
    {
        var random = new RandomStream(21, 4);
        var density = new GammaThree();
        var x = 1.0;
        var draws = new double[20_000];
        for (var n = 0; n < draws.Length * 50; n++)
        {
            x = SliceSampler.Sample(x, width, ref density, ref random);
            if (n % 50 == 49) draws[n / 50] = x;
        }
        StatCheck.KolmogorovSmirnov(draws, v => ContinuousSamplerTests.GammaCdf(3, v), $"slice Gamma(3), width {width}");
        // Thinned draws are near-independent (at width 0.05 a transition moves at most 1.6, so it needs the fifty): their mean has a standard error of sqrt(3 / 20000) ~ 0.012.
        Assert.InRange(draws.Average(), 3 - 0.06, 3 + 0.06);
    }

    [Fact]
    public void AStartOutsideTheSupport_IsAnError()
    {
        var random = new RandomStream(1, 1);
        var density = new GammaThree();
        var error = Assert.Throws<InvalidOperationException>(() => SliceSampler.Sample(-1.0, 1.0, ref density, ref random));
        Assert.Contains("left the support", error.Message);
    }
}
