using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Tests.Statistics;

namespace Dsl.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="MultinomialTotals"/>: the component totals of independent multinomial rows, drawn without the rows.
/// Rows of every kind go through each test: none, few and many trials, rows past the counting limit (conditional
/// binomials), shares whose thresholds sit exactly on a digit, tiny shares, more rows than one block and more
/// trials than one refill of random digits.
/// </summary>
public sealed class MultinomialTotalsTests
{
    [Fact]
    public void TotalsOfIdenticalRows_AreOneMultinomialOverAllTrials()
    {
        // Rows with one p: the totals are Multinomial(sum n, p), so total 0 is Binomial(sum n, 0.25) exactly.
        int[] trials = [0, 1, 7, 31, 32, 33, 64, 65, 90, 255, 256, 257, 300, 3, 0, 12];
        double[] p = [1, 1, 2]; // cumulative shares 1/4 and 1/2: both thresholds exactly on a first digit
        var shares = ComponentMajor(Enumerable.Repeat(p, trials.Length).ToArray());
        var n = trials.Sum();
        const int draws = 20_000;
        var totals = Draw(shares, trials, 3, draws, seed: 1);
        var histogram = new long[n + 1];
        foreach (var t in totals) histogram[(int)t[0]]++;
        var pmf = Enumerable.Range(0, n + 1).Select(x => MathNet.Numerics.Distributions.Binomial.PMF(0.25, n, x)).ToArray();
        StatCheck.ChiSquare(histogram, pmf, "total 0 of identical rows");
        StatCheck.Moments(totals.Select(t => t[1]).ToArray(), n * 0.25, n * 0.25 * 0.75, "total 1 of identical rows");
        Assert.All(totals, t => Assert.Equal(n, t.Sum()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    public void TotalsOfMixedRows_HaveTheSumOfTheRowsMoments(int k)
    {
        // 300 rows (three blocks) with about 25,000 trials (several refills): each total's mean is sum_r n_r q_rk and
        // its variance sum_r n_r q_rk (1 - q_rk), the rows being independent.
        var random = new RandomStream(7, 7);
        var rows = 300;
        var trials = Enumerable.Range(0, rows).Select(r => r % 37 == 0 ? 0 : r % 50 == 1 ? 400 + r : (int)(random.NextDouble() * 160)).ToArray();
        var perRow = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, k).Select(c =>
            // Tiny shares too: their thresholds sit on the lowest digit, where trials tie most often relative to the share.
            r % 7 == 3 && c == 0 ? 1e-7 : 0.05 + random.NextDouble()).ToArray()).ToArray();
        var shares = ComponentMajor(perRow);
        var totals = Draw(shares, trials, k, 6_000, seed: 2);
        for (var c = 0; c < k; c++)
        {
            double mean = 0, variance = 0;
            for (var r = 0; r < rows; r++)
            {
                var q = perRow[r][c] / perRow[r].Sum();
                mean += trials[r] * q;
                variance += trials[r] * q * (1 - q);
            }
            StatCheck.Moments(totals.Select(t => t[c]).ToArray(), mean, variance, $"total {c} of {k}");
        }
    }

    [Fact]
    public void ManyComponents_AreDrawnAsConditionalBinomials_WithTheSameMoments()
    {
        // 70 components: more thresholds than counting handles, so every row takes the conditional-binomial path.
        const int k = 70, rows = 12;
        var random = new RandomStream(8, 8);
        var trials = Enumerable.Range(0, rows).Select(r => r == 3 ? 0 : 20 + 15 * r).ToArray();
        var perRow = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, k).Select(_ => 0.1 + random.NextDouble()).ToArray()).ToArray();
        var totals = Draw(ComponentMajor(perRow), trials, k, 3_000, seed: 9);
        foreach (var c in new[] { 0, 35, 69 })
        {
            var mean = Enumerable.Range(0, rows).Sum(r => trials[r] * perRow[r][c] / perRow[r].Sum());
            var variance = Enumerable.Range(0, rows).Sum(r => trials[r] * perRow[r][c] / perRow[r].Sum() * (1 - perRow[r][c] / perRow[r].Sum()));
            StatCheck.Moments(totals.Select(t => t[c]).ToArray(), mean, variance, $"total {c} of {k}");
        }
        Assert.All(totals, t => Assert.Equal(trials.Sum(), t.Sum()));
    }

    [Fact]
    public void AShareOfOne_TakesEveryTrial_AndEmptySharesNone()
    {
        int[] trials = [5, 70, 300, 1];
        var two = Draw(ComponentMajor(Enumerable.Repeat(new double[] { 1, 0 }, 4).ToArray()), trials, 2, 200, seed: 3);
        Assert.All(two, t => Assert.Equal(new double[] { 376, 0 }, t));
        var middle = Draw(ComponentMajor(Enumerable.Repeat(new double[] { 0, 3, 0 }, 4).ToArray()), trials, 3, 200, seed: 4);
        Assert.All(middle, t => Assert.Equal(new double[] { 0, 376, 0 }, t));
    }

    [Fact]
    public void ConditionalMeans_AreEachRowsTrialsTimesItsShares()
    {
        int[] trials = [3, 0, 80, 500, 17];
        double[][] perRow = [[1, 2, 1], [0, 0, 0], [0.2, 0.3, 0.5], [5, 1, 4], [1e-3, 1, 1]];
        var shares = ComponentMajor(perRow);
        var means = new double[shares.Length];
        means[2] = 1; // added to, not overwritten
        var random = new RandomStream(5, 0);
        MultinomialTotals.Sample(shares, trials, 3, new double[3], means, new byte[MultinomialTotals.ScratchBytes(3)], ref random);
        for (var r = 0; r < trials.Length; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                var expected = (r == 2 && c == 0 ? 1 : 0) + (trials[r] == 0 ? 0 : trials[r] * perRow[r][c] / perRow[r].Sum());
                Assert.Equal(expected, means[c * trials.Length + r], 12);
            }
        }
    }

    [Fact]
    public void ARowWithTrialsButNoShares_IsRefused()
    {
        var random = new RandomStream(6, 0);
        var error = Assert.Throws<ArgumentException>(() =>
            MultinomialTotals.Sample(new double[] { 1, 0, 1, 0 }, [4, 2], 2, new double[2], default, new byte[MultinomialTotals.ScratchBytes(2)], ref random));
        Assert.Contains("row 1", error.Message);
    }

    /// <summary>Rows of shares (row r, component c) as the sampler's component-major layout.</summary>
    private static double[] ComponentMajor(double[][] perRow)
    {
        var k = perRow[0].Length;
        var shares = new double[k * perRow.Length];
        for (var r = 0; r < perRow.Length; r++)
            for (var c = 0; c < k; c++) shares[c * perRow.Length + r] = perRow[r][c];
        return shares;
    }

    private static double[][] Draw(double[] shares, int[] trials, int k, int draws, ulong seed)
    {
        var scratch = new byte[MultinomialTotals.ScratchBytes(k)];
        var result = new double[draws][];
        var random = new RandomStream(seed, 0);
        for (var d = 0; d < draws; d++)
        {
            result[d] = new double[k];
            MultinomialTotals.Sample(shares, trials, k, result[d], default, scratch, ref random);
        }
        return result;
    }
}
