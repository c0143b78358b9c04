using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl.Runtime.Evaluation;

/// <summary>Agreement of a clustering with reference labels: adjusted Rand index and normalised mutual information (scVI Methods 4.7).</summary>
public static class ClusterAgreement
{
    /// <summary>ARI from the contingency table n_ij with row sums a_i and column sums b_j (1 for identical partitions, about 0 by chance).</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        var (table, rowSums, columnSums) = Contingency(predicted, truth);
        static double Pairs(double n) => n * (n - 1) / 2;
        var index = table.Values.Sum(v => Pairs(v));
        var rows = rowSums.Sum(Pairs);
        var columns = columnSums.Sum(Pairs);
        var expected = rows * columns / Pairs(predicted.Count);
        var maximum = 0.5 * (rows + columns);
        // Both partitions a single cluster (or all singletons): agreement is perfect and the formula is 0/0.
        return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
    }

    /// <summary>NMI = I(P; T) / √(H(P)·H(T)), the paper's geometric normalisation.</summary>
    public static double NormalizedMutualInformation(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        var (table, rowSums, columnSums) = Contingency(predicted, truth);
        double n = predicted.Count;
        var mutual = 0.0;
        foreach (var ((i, j), count) in table) mutual += count / n * Math.Log(count * n / (rowSums[i] * columnSums[j]));
        double Entropy(double[] sums) => -sums.Where(s => s > 0).Sum(s => s / n * Math.Log(s / n));
        var normaliser = Math.Sqrt(Entropy(rowSums) * Entropy(columnSums));
        return normaliser == 0 ? 1.0 : mutual / normaliser;
    }

    private static (Dictionary<(int, int), double> Table, double[] RowSums, double[] ColumnSums) Contingency(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        if (predicted.Count != truth.Count) throw new ArgumentException($"{predicted.Count} predicted labels for {truth.Count} reference labels");
        if (predicted.Count < 2) throw new ArgumentException("cluster agreement needs at least two cells");
        var table = new Dictionary<(int, int), double>();
        var rowSums = new double[predicted.Max() + 1];
        var columnSums = new double[truth.Max() + 1];
        for (var k = 0; k < predicted.Count; k++)
        {
            table[(predicted[k], truth[k])] = table.GetValueOrDefault((predicted[k], truth[k])) + 1;
            rowSums[predicted[k]]++;
            columnSums[truth[k]]++;
        }
        return (table, rowSums, columnSums);
    }
}
