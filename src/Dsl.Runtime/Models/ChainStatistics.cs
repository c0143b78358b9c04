using Dsl.Runtime.Special;

namespace Dsl.Runtime.Models;

/// <summary>
/// Summaries of the draws of one quantity from one or more chains of equal length, as Stan reports them (Vehtari,
/// Gelman, Simpson, Carpenter and Bürkner 2021): mean, sd, quantiles, effective sample sizes from Geyer's initial
/// monotone sequence over the chains' combined autocorrelation, and rank-normalised split R-hat (every chain cut
/// in halves). Bulk ESS is the ESS of the rank-normalised split chains; tail ESS the smaller ESS of the indicators
/// of the 5 % and 95 % quantiles. A constant quantity has ESS equal to its number of draws and R-hat 1.
/// </summary>
public static class ChainStatistics
{
    /// <summary>What Stan's summary reports for one quantity.</summary>
    public readonly record struct Diagnostics(double Mean, double Sd, double Mcse, double Q5, double Q95, double EssBulk, double EssTail, double RHat);

    /// <param name="chains">one array of draws per chain, all of one length</param>
    public static Diagnostics Summarise(IReadOnlyList<double[]> chains)
    {
        var pooled = chains.SelectMany(c => c).ToArray();
        var (mean, sd) = MeanAndSd(pooled);
        var sorted = (double[])pooled.Clone();
        Array.Sort(sorted);
        var (q5, q95) = (Quantile(sorted, 0.05), Quantile(sorted, 0.95));
        if (sorted[0] == sorted[^1]) return new Diagnostics(mean, sd, 0, q5, q95, pooled.Length, pooled.Length, 1);
        var split = Split(chains);
        var essMean = EffectiveSampleSize(split);
        var bulk = EffectiveSampleSize(RankNormalise(split));
        var tail = Math.Min(EffectiveSampleSize(Indicator(split, q5)), EffectiveSampleSize(Indicator(split, q95)));
        var rhat = Math.Max(RHat(RankNormalise(split)), RHat(RankNormalise(Fold(split))));
        return new Diagnostics(mean, sd, sd / Math.Sqrt(essMean), q5, q95, bulk, tail, rhat);
    }

    /// <summary>The type-7 (linear interpolation) quantile of sorted values, as R and NumPy compute it by default.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double probability)
    {
        if (sorted.Length == 0) return double.NaN;
        var position = probability * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    public static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<double> draws)
    {
        var mean = 0.0;
        foreach (var d in draws) mean += d;
        mean /= draws.Length;
        var squares = 0.0;
        foreach (var d in draws) squares += (d - mean) * (d - mean);
        return (mean, draws.Length > 1 ? Math.Sqrt(squares / (draws.Length - 1)) : double.NaN);
    }

    /// <summary>
    /// ESS of chains of equal length (Stan's ess): ρ̂_t = 1 - (W - mean autocovariance at lag t)/var⁺, summed in
    /// pairs until a pair turns negative, made monotone, τ = -1 + 2Σρ̂ (at least 1/log10 of the draws).
    /// </summary>
    public static double EffectiveSampleSize(IReadOnlyList<double[]> chains)
    {
        var m = chains.Count;
        var n = chains[0].Length;
        if (n < 4) return double.NaN;
        var means = chains.Select(c => MeanAndSd(c).Mean).ToArray();
        double MeanAutocovariance(int lag)
        {
            var sum = 0.0;
            for (var c = 0; c < m; c++) sum += Autocovariance(chains[c], means[c], lag);
            return sum / m;
        }
        var within = MeanAutocovariance(0) * n / (n - 1.0);
        var between = m > 1 ? Variance(means) : 0;
        var varPlus = within * (n - 1.0) / n + between;
        if (!(varPlus > 0)) return m * n;
        var rho = new double[n + 1];
        rho[0] = 1;
        var even = 1.0;
        var odd = 1 - (within - MeanAutocovariance(1)) / varPlus;
        rho[1] = odd;
        var t = 1;
        while (t < n - 5 && even + odd > 0)
        {
            even = 1 - (within - MeanAutocovariance(t + 1)) / varPlus;
            odd = 1 - (within - MeanAutocovariance(t + 2)) / varPlus;
            if (even + odd >= 0)
            {
                rho[t + 1] = even;
                rho[t + 2] = odd;
            }
            t += 2;
        }
        var maxT = t;
        // Geyer's truncation can leave the last even lag out; keep it where positive (Stan's improved estimate).
        if (even > 0) rho[maxT + 1] = even;
        for (t = 1; t <= maxT - 3; t += 2)
        {
            if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t])
            {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2;
                rho[t + 2] = rho[t + 1];
            }
        }
        var draws = (double)m * n;
        var sumRho = 0.0;
        for (t = 0; t <= maxT; t++) sumRho += rho[t];
        var tau = -1 + 2 * sumRho + rho[maxT + 1];
        return draws / Math.Max(tau, 1 / Math.Log10(draws));
    }

    /// <summary>Gelman-Rubin R-hat of chains of equal length: √(var⁺/W).</summary>
    public static double RHat(IReadOnlyList<double[]> chains)
    {
        var n = chains[0].Length;
        if (n < 2 || chains.Count < 2) return double.NaN;
        var stats = chains.Select(c => MeanAndSd(c)).ToArray();
        var within = stats.Average(s => s.Sd * s.Sd);
        var between = Variance(stats.Select(s => s.Mean).ToArray());
        if (within == 0) return between == 0 ? 1 : double.PositiveInfinity;
        return Math.Sqrt(((n - 1.0) / n * within + between) / within);
    }

    /// <summary>Each chain cut into a first and a second half (the middle draw of an odd chain dropped).</summary>
    public static IReadOnlyList<double[]> Split(IReadOnlyList<double[]> chains)
    {
        var halves = new List<double[]>();
        foreach (var chain in chains)
        {
            var half = chain.Length / 2;
            halves.Add(chain[..half]);
            halves.Add(chain[(chain.Length - half)..]);
        }
        return halves;
    }

    /// <summary>
    /// Draws replaced by the normal scores of their ranks over all chains, Φ⁻¹((r - 3/8)/(S + 1/4)), ties given their
    /// average rank: heavy tails and infinite variances no longer distort R-hat and ESS.
    /// </summary>
    public static IReadOnlyList<double[]> RankNormalise(IReadOnlyList<double[]> chains)
    {
        var n = chains[0].Length;
        var total = chains.Count * n;
        var order = Enumerable.Range(0, total).OrderBy(i => chains[i / n][i % n]).ToArray();
        var scores = chains.Select(_ => new double[n]).ToArray();
        for (var start = 0; start < total;)
        {
            var value = chains[order[start] / n][order[start] % n];
            var end = start;
            while (end < total && chains[order[end] / n][order[end] % n] == value) end++;
            var rank = (start + 1 + end) / 2.0;
            var score = SpecialFunctions.NormalQuantile((rank - 0.375) / (total + 0.25));
            for (var k = start; k < end; k++) scores[order[k] / n][order[k] % n] = score;
            start = end;
        }
        return scores;
    }

    /// <summary>|x - median|: R-hat of the folded draws detects chains that differ in scale but not in location.</summary>
    private static IReadOnlyList<double[]> Fold(IReadOnlyList<double[]> chains)
    {
        var sorted = chains.SelectMany(c => c).Order().ToArray();
        var median = Quantile(sorted, 0.5);
        return chains.Select(c => c.Select(x => Math.Abs(x - median)).ToArray()).ToList();
    }

    private static IReadOnlyList<double[]> Indicator(IReadOnlyList<double[]> chains, double threshold) =>
        chains.Select(c => c.Select(x => x <= threshold ? 1.0 : 0.0).ToArray()).ToList();

    private static double Variance(double[] values)
    {
        var (_, sd) = MeanAndSd(values);
        return sd * sd;
    }

    /// <summary>The biased (divided by n) autocovariance at a lag, as the ESS estimators use.</summary>
    private static double Autocovariance(double[] draws, double mean, int lag)
    {
        var sum = 0.0;
        for (var t = 0; t + lag < draws.Length; t++) sum += (draws[t] - mean) * (draws[t + lag] - mean);
        return sum / draws.Length;
    }
}
