using Dsl.Runtime.Data;
using Dsl.Runtime.Evaluation;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Evaluation;

public class CorruptionTests
{
    [Fact]
    public void ZeroingHidesExactlyTheChosenShareOfNonZeros()
    {
        var counts = Counts(200, 50, seed: 1);
        var corruption = Corruption.ZeroNonZeros(counts, 0.1, seed: 2);
        Assert.Equal((int)Math.Floor(0.1 * counts.NonZeros), corruption.Original.Length);
        Assert.Equal(counts.NonZeros - corruption.Original.Length, corruption.Counts.NonZeros);
        var hidden = new HashSet<(int, int)>();
        for (var k = 0; k < corruption.Original.Length; k++)
        {
            Assert.True(hidden.Add((corruption.Cells[k], corruption.Genes[k])));
            Assert.Equal(counts[corruption.Cells[k], corruption.Genes[k]], corruption.Original[k]);
            Assert.True(corruption.Original[k] > 0);
            Assert.Equal(0, corruption.Counts[corruption.Cells[k], corruption.Genes[k]]);
        }
        for (var c = 0; c < 200; c++)
            for (var g = 0; g < 50; g++)
                if (!hidden.Contains((c, g))) Assert.Equal(counts[c, g], corruption.Counts[c, g]);
    }

    [Fact]
    public void DownsamplingKeepsAFifthOfTheChosenEntriesCounts()
    {
        var counts = Counts(400, 100, seed: 3);
        var corruption = Corruption.Downsample(counts, 0.1, 0.2, seed: 4);
        Assert.Equal(4000, corruption.Original.Length);
        double before = 0, after = 0;
        for (var k = 0; k < corruption.Original.Length; k++)
        {
            var now = corruption.Counts[corruption.Cells[k], corruption.Genes[k]];
            Assert.InRange(now, 0, corruption.Original[k]);
            before += corruption.Original[k];
            after += now;
        }
        // Σ Binomial(n_k, 0.2) has mean 0.2·Σn and sd √(0.16·Σn); Σn ≈ 2·10⁴ here, so 5 sd is under 0.01 of the ratio.
        Assert.InRange(after / before, 0.19, 0.21);
        Assert.True(counts.NonZeros > corruption.Counts.NonZeros, "some downsampled entries reach zero");
    }

    [Fact]
    public void MedianL1IsZeroForThePerfectImputationAndCountsTheErrorOtherwise()
    {
        var counts = Counts(50, 20, seed: 5);
        var corruption = Corruption.ZeroNonZeros(counts, 0.2, seed: 6);
        var perfect = new float[50 * 20];
        for (var c = 0; c < 50; c++)
            for (var g = 0; g < 20; g++) perfect[c * 20 + g] = (float)counts[c, g];
        Assert.Equal(0, Corruption.MedianL1(corruption, perfect, 20));
        Assert.Equal(Corruption.Median(corruption.Original), Corruption.MedianL1(corruption, new float[50 * 20], 20));
        Assert.Equal(2.5, Corruption.Median([4, 1, 2, 3]));
    }

    private static CountMatrix Counts(int cells, int genes, ulong seed)
    {
        var random = new RandomStream(seed, 0);
        var dense = new double[cells, genes];
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
                dense[c, g] = random.NextDouble() < 0.5 ? 0 : 1 + Math.Floor(random.NextExponential() * 8);
        return CountMatrix.FromDense(dense, Enumerable.Range(0, cells).Select(c => $"c{c}").ToArray(), Enumerable.Range(0, genes).Select(g => $"g{g}").ToArray());
    }
}
