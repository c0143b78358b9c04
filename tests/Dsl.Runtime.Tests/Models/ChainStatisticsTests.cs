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

    private static double[][] Chains(int chains, int length, ulong seed, Func<int, int, double, double> draw)
    {
        var random = new RandomStream(seed, 0);
        return Enumerable.Range(0, chains).Select(c => Enumerable.Range(0, length).Select(t => draw(c, t, random.NextNormal())).ToArray()).ToArray();
    }

    [Fact]
    public void IndependentDraws_HaveEffectiveSizesNearTheirNumber_AndRHatNearOne()
    {
        var d = ChainStatistics.Summarise(Chains(4, 1000, 5, (_, _, z) => z));
        // Geyer's estimate for iid draws scatters by a few per cent around n; 15 % is far outside that. The tail ESS
        // of an indicator with p = 0.05 scatters more (about 10 %), so it gets 25 %.
        Assert.InRange(d.EssBulk, 0.85 * 4000, 1.15 * 4000);
        Assert.InRange(d.EssTail, 0.75 * 4000, 1.25 * 4000);
        Assert.InRange(d.RHat, 0.995, 1.01);
        // MCSE of the mean of 4000 iid standard normals: 1/sqrt(4000) = 0.0158.
        Assert.InRange(d.Mcse, 0.0158 * 0.9, 0.0158 * 1.1);
    }

    [Fact]
    public void AnAutoregressiveChain_HasTheEffectiveSizeOfItsCorrelation()
    {
        // AR(1) with phi = 0.9: ESS = n (1 - phi) / (1 + phi) = n / 19.
        var random = new RandomStream(6, 0);
        var draws = new double[20000];
        for (var t = 1; t < draws.Length; t++) draws[t] = 0.9 * draws[t - 1] + random.NextNormal();
        // The estimate's own sd is about 10 % at this length; 30 % bounds separate it from iid (19x larger).
        Assert.InRange(ChainStatistics.EffectiveSampleSize([draws]), 0.7 * 20000 / 19.0, 1.3 * 20000 / 19.0);
        Assert.InRange(ChainStatistics.Summarise([draws]).EssBulk, 0.7 * 20000 / 19.0, 1.3 * 20000 / 19.0);
    }

    [Fact]
    public void ChainsThatDisagree_InLocationOrInScale_HaveRHatAboveOne()
    {
        var drift = ChainStatistics.Summarise(Chains(1, 1000, 7, (_, t, z) => t / 250.0 + z));
        var shifted = ChainStatistics.Summarise(Chains(4, 500, 8, (c, _, z) => z + (c == 0 ? 1 : 0)));
        // Same centre, one chain ten times wider: only the folded draws' R-hat sees it (Vehtari et al. 2021, section 4.2).
        var wider = ChainStatistics.Summarise(Chains(4, 500, 9, (c, _, z) => z * (c == 0 ? 10 : 1)));
        Assert.True(drift.RHat > 1.2, $"drift: R-hat {drift.RHat}");
        Assert.True(shifted.RHat > 1.05, $"shifted chain: R-hat {shifted.RHat}");
        Assert.True(wider.RHat > 1.05, $"wider chain: R-hat {wider.RHat}");
    }

    [Fact]
    public void HeavyTailedDraws_GetAnHonestBulkSize_FromTheirRanks()
    {
        // Cauchy draws (a ratio of two standard normals) have no variance: rank normalisation still sees 4000 independent draws.
        var random = new RandomStream(10, 0);
        var chains = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 1000).Select(_ => random.NextNormal() / random.NextNormal()).ToArray()).ToArray();
        var d = ChainStatistics.Summarise(chains);
        Assert.InRange(d.EssBulk, 0.85 * 4000, 1.15 * 4000);
        Assert.InRange(d.RHat, 0.995, 1.01);
    }

    [Fact]
    public void AConstantQuantity_CountsEveryDraw()
    {
        var d = ChainStatistics.Summarise([Enumerable.Repeat(3.0, 50).ToArray(), Enumerable.Repeat(3.0, 50).ToArray()]);
        Assert.Equal((100.0, 100.0, 1.0), (d.EssBulk, d.EssTail, d.RHat));
    }

    [Theory]
    // Reference values: R's qnorm.
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0)]
    [InlineData(1e-3, -3.090232306167813)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.9999, 3.719016485455709)]
    public void NormalQuantile_MatchesR(double p, double expected) =>
        Assert.Equal(expected, Dsl.Runtime.Special.SpecialFunctions.NormalQuantile(p), 12);

    [Fact]
    public void ClosestName_SuggestsNearMissesOnly()
    {
        Assert.Equal("priorVariance", ClosestName.Find("priorVarience", ["x", "y", "priorVariance"]));
        Assert.Equal("Cell", ClosestName.Find("cell", ["Cell", "Gene"]));
        Assert.Null(ClosestName.Find("library", ["x", "y", "beta"]));
    }
}
