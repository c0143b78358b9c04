namespace Dsl.Runtime.Models;

/// <summary>Whether an objective was still climbing when a fit stopped: the least-squares line through its last quarter.</summary>
public static class Trend
{
    /// <summary>
    /// What the line through the last quarter of <paramref name="series"/> would gain over another quarter, and the
    /// quarter's mean and length; null for a series shorter than <paramref name="minimum"/> or with a non-finite value there.
    /// </summary>
    public static (double Gain, double Mean, int Steps)? LastQuarter(IReadOnlyList<double> series, int minimum)
    {
        if (series.Count < minimum) return null;
        var tail = series.Skip(series.Count - series.Count / 4).ToList();
        if (!tail.All(double.IsFinite)) return null;
        var meanX = (tail.Count - 1) / 2.0;
        var meanY = tail.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < tail.Count; i++) { sxy += (i - meanX) * (tail[i] - meanY); sxx += (i - meanX) * (i - meanX); }
        return (sxy / sxx * tail.Count, meanY, tail.Count);
    }
}
