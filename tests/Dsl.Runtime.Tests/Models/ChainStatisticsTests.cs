using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Models;

/// <summary>The per-entry summaries of a fit's draws against chains whose answers are known.</summary>
public sealed class ChainStatisticsTests
{
    [Fact]
    public void Quantile_InterpolatesLinearlyLikeRsType7() =>
        // R: quantile(c(1, 2, 4, 8), c(0.05, 0.5, 0.95)) = 1.15, 3, 7.4
        Assert.Equal([1.15, 3, 7.4], new[] { 0.05, 0.5, 0.95 }.Select(p => Math.Round(ChainStatistics.Quantile([1, 2, 4, 8], p), 12)));

    [Fact]
    public void IndependentDraws_HaveAnEffectiveSizeNearTheirNumber_AndRHatNearOne()
    {
        var random = new RandomStream(5, 0);
        var draws = Enumerable.Range(0, 4000).Select(_ => random.NextNormal()).ToArray();
        // Geyer's estimate for iid draws scatters by a few per cent around n; 15 % is far outside that.
        Assert.InRange(ChainStatistics.EffectiveSampleSize(draws), 0.85 * 4000, 1.15 * 4000);
        Assert.InRange(ChainStatistics.SplitRHat(draws), 0.99, 1.01);
    }

    [Fact]
    public void AnAutoregressiveChain_HasTheEffectiveSizeOfItsCorrelation()
    {
        // AR(1) with phi = 0.9: ESS = n (1 - phi) / (1 + phi) = n / 19.
        var random = new RandomStream(6, 0);
        var draws = new double[20000];
        for (var t = 1; t < draws.Length; t++) draws[t] = 0.9 * draws[t - 1] + random.NextNormal();
        // The estimate's own sd is about 10 % at this length; 30 % bounds separate it from iid (19x larger).
        Assert.InRange(ChainStatistics.EffectiveSampleSize(draws), 0.7 * 20000 / 19.0, 1.3 * 20000 / 19.0);
    }

    [Fact]
    public void AChainThatDrifts_HasSplitRHatWellAboveOne()
    {
        var random = new RandomStream(7, 0);
        var draws = Enumerable.Range(0, 1000).Select(t => t / 250.0 + random.NextNormal()).ToArray();
        Assert.True(ChainStatistics.SplitRHat(draws) > 1.2, $"split R-hat {ChainStatistics.SplitRHat(draws)}");
    }

    [Fact]
    public void AConstantChain_CountsEveryDraw() =>
        Assert.Equal((50.0, 1.0), (ChainStatistics.EffectiveSampleSize(Enumerable.Repeat(3.0, 50).ToArray()), ChainStatistics.SplitRHat(Enumerable.Repeat(3.0, 50).ToArray())));

    [Fact]
    public void ClosestName_SuggestsNearMissesOnly()
    {
        Assert.Equal("priorVariance", ClosestName.Find("priorVarience", ["x", "y", "priorVariance"]));
        Assert.Equal("Cell", ClosestName.Find("cell", ["Cell", "Gene"]));
        Assert.Null(ClosestName.Find("library", ["x", "y", "beta"]));
    }
}
