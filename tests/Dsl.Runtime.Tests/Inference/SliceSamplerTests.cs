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

    /// <summary>Normal(0, sd²) up to a constant.</summary>
    private readonly struct Centred(double sd) : IScalarLogDensity
    {
        public double LogDensity(double x) => -0.5 * (x / sd) * (x / sd);
    }

    /// <summary>
    /// Started at width 1 on a conditional 40 or 1/40 times wider, warm-up moves the width to the conditional's scale:
    /// independent moves of a Normal average 2σ/√π, so twice their mean is 2.26σ, and the slice sampler's moves at a
    /// good width are nearly independent. The bars, 1.2σ to 3.5σ, hold about any such mean; a width left at 1 (40σ
    /// or σ/40) is far outside them.
    /// </summary>
    [Theory]
    [InlineData(40.0)]
    [InlineData(0.025)]
    public void WarmUp_TunesTheWidthToTheConditionalsScale(double sd)
    {
        var random = new RandomStream(5, 9);
        var density = new Centred(sd);
        var width = new AdaptiveSliceWidth(1.0);
        var x = 0.0;
        for (var n = 0; n < 2_000; n++)
        {
            var next = SliceSampler.Sample(x, width.Width, ref density, ref random);
            width.Observe(x, next);
            x = next;
        }
        Assert.InRange(width.Width / sd, 1.2, 3.5);
    }

    [Fact]
    public void AChainThatHasNotMoved_KeepsItsWidth()
    {
        var width = new AdaptiveSliceWidth(0.7);
        for (var n = 0; n < 50; n++) width.Observe(2.0, 2.0);
        Assert.Equal(0.7, width.Width);
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
