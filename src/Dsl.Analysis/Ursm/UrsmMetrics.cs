using Dsl.Runtime.Random;

namespace Dsl.Analysis.Ursm;

using Dsl.Models.Ursm;

/// <summary>The figures of the paper's section 4: L1 losses of A and W, and the AUC of calling dropouts among zero entries.</summary>
public static class UrsmMetrics
{
    /// <summary>sum_{i,k} |estimate - truth| (Figure 2's L1 loss).</summary>
    public static double L1(double[,] estimate, double[,] truth)
    {
        var sum = 0.0;
        for (var i = 0; i < truth.GetLength(0); i++)
            for (var k = 0; k < truth.GetLength(1); k++) sum += Math.Abs(estimate[i, k] - truth[i, k]);
        return sum;
    }

    /// <summary>The mean over bulk samples of sum_k |W_hat_kj - W_kj|.</summary>
    public static double L1PerSample(double[,] estimate, double[,] truth) => truth.GetLength(1) == 0 ? 0 : L1(estimate, truth) / truth.GetLength(1);

    /// <summary>
    /// Area under the ROC curve of a score that should be higher for dropouts (S = 0) than for structural zeros (S = 1),
    /// over the entries with a zero count (section 4.4). Ties count one half (Mann-Whitney).
    /// </summary>
    public static double DropoutAuc(int[,] counts, int[,] truthS, Func<int, int, double> dropoutScore)
    {
        var scored = new List<(double Score, bool Dropout)>();
        for (var i = 0; i < counts.GetLength(0); i++)
            for (var l = 0; l < counts.GetLength(1); l++)
                if (counts[i, l] == 0) scored.Add((dropoutScore(i, l), truthS[i, l] == 0));
        scored.Sort((a, b) => a.Score.CompareTo(b.Score));
        double positives = scored.Count(s => s.Dropout), negatives = scored.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        var rankSum = 0.0;
        for (var start = 0; start < scored.Count;)
        {
            var end = start;
            while (end < scored.Count && scored[end].Score == scored[start].Score) end++;
            var midRank = (start + 1 + end) / 2.0;
            for (var n = start; n < end; n++) if (scored[n].Dropout) rankSum += midRank;
            start = end;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>
    /// The rank-r NMF approximation of the counts (Lee &amp; Seung 2000, multiplicative updates for the Frobenius norm),
    /// section 4.4's baseline: the approximated value scores how likely a zero entry is a dropout.
    /// </summary>
    public static double[,] NmfApproximation(int[,] counts, int rank, int iterations = 500, ulong seed = 1)
    {
        var (n, l) = (counts.GetLength(0), counts.GetLength(1));
        var random = new RandomStream(seed, stream: 7);
        var w = new double[n, rank];
        var h = new double[rank, l];
        for (var i = 0; i < n; i++) for (var r = 0; r < rank; r++) w[i, r] = random.NextDouble() + 0.1;
        for (var r = 0; r < rank; r++) for (var c = 0; c < l; c++) h[r, c] = random.NextDouble() + 0.1;
        const double tiny = 1e-12;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var wh = Product(w, h);
            for (var r = 0; r < rank; r++)
                for (var c = 0; c < l; c++)
                {
                    double numerator = 0, denominator = 0;
                    for (var i = 0; i < n; i++) { numerator += w[i, r] * counts[i, c]; denominator += w[i, r] * wh[i, c]; }
                    h[r, c] *= numerator / (denominator + tiny);
                }
            wh = Product(w, h);
            for (var i = 0; i < n; i++)
                for (var r = 0; r < rank; r++)
                {
                    double numerator = 0, denominator = 0;
                    for (var c = 0; c < l; c++) { numerator += counts[i, c] * h[r, c]; denominator += wh[i, c] * h[r, c]; }
                    w[i, r] *= numerator / (denominator + tiny);
                }
        }
        return Product(w, h);
    }

    private static double[,] Product(double[,] w, double[,] h)
    {
        var (n, rank, l) = (w.GetLength(0), w.GetLength(1), h.GetLength(1));
        var result = new double[n, l];
        for (var i = 0; i < n; i++)
            for (var r = 0; r < rank; r++)
            {
                var a = w[i, r];
                for (var c = 0; c < l; c++) result[i, c] += a * h[r, c];
            }
        return result;
    }
}
