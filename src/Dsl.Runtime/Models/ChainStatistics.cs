namespace Dsl.Runtime.Models;

/// <summary>
/// Summaries of one chain of draws of one quantity: mean, sd, quantiles, effective sample size (Geyer's initial
/// monotone sequence, as Stan computes it) and split R-hat (the chain's halves as two chains; Gelman et al., BDA3
/// section 11.4). A constant chain has ESS equal to its length and R-hat 1.
/// </summary>
public static class ChainStatistics
{
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

    public static double EffectiveSampleSize(ReadOnlySpan<double> draws)
    {
        var n = draws.Length;
        if (n < 4) return double.NaN;
        var (mean, _) = MeanAndSd(draws);
        var variance = Autocovariance(draws, mean, 0);
        if (variance <= 0) return n;
        // Sums of adjacent autocorrelation pairs, cut at the first negative pair and kept monotone (Geyer 1992).
        var sum = 0.0;
        var previousPair = double.PositiveInfinity;
        for (var lag = 0; lag + 1 < n; lag += 2)
        {
            var pair = (Autocovariance(draws, mean, lag) + Autocovariance(draws, mean, lag + 1)) / variance;
            if (pair < 0) break;
            pair = Math.Min(pair, previousPair);
            previousPair = pair;
            sum += pair;
        }
        var tau = -1 + 2 * sum;
        return n / Math.Max(tau, 1.0 / Math.Log10(n));
    }

    public static double SplitRHat(ReadOnlySpan<double> draws)
    {
        var half = draws.Length / 2;
        if (half < 2) return double.NaN;
        var first = draws[..half];
        var second = draws[(draws.Length - half)..];
        var (m1, s1) = MeanAndSd(first);
        var (m2, s2) = MeanAndSd(second);
        var within = (s1 * s1 + s2 * s2) / 2;
        if (within == 0) return m1 == m2 ? 1 : double.PositiveInfinity;
        var grand = (m1 + m2) / 2;
        var between = half * ((m1 - grand) * (m1 - grand) + (m2 - grand) * (m2 - grand));
        var pooled = (half - 1.0) / half * within + between / half;
        return Math.Sqrt(pooled / within);
    }

    /// <summary>The biased (divided by n) autocovariance at a lag, as the ESS estimators use.</summary>
    private static double Autocovariance(ReadOnlySpan<double> draws, double mean, int lag)
    {
        var sum = 0.0;
        for (var t = 0; t + lag < draws.Length; t++) sum += (draws[t] - mean) * (draws[t + lag] - mean);
        return sum / draws.Length;
    }
}
