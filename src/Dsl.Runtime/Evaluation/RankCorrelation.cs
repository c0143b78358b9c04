namespace Dsl.Runtime.Evaluation;

/// <summary>Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank.</summary>
public static class RankCorrelation
{
    /// <summary>NaN when either side is constant (its ranks have no spread).</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} values against {y.Length}");
        var (rx, ry) = (Ranks(x), Ranks(y));
        var mean = (x.Length + 1) / 2.0;
        double xy = 0, xx = 0, yy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            xy += (rx[i] - mean) * (ry[i] - mean);
            xx += (rx[i] - mean) * (rx[i] - mean);
            yy += (ry[i] - mean) * (ry[i] - mean);
        }
        return xx == 0 || yy == 0 ? double.NaN : xy / Math.Sqrt(xx * yy);
    }

    /// <summary>1-based ranks, ties averaged.</summary>
    public static double[] Ranks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var copy = values.ToArray();
        Array.Sort(order, (a, b) => copy[a].CompareTo(copy[b]));
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && copy[order[end + 1]] == copy[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }
}
