using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Runtime.Data;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Evaluation;

/// <summary>Which entries a corruption changed, with their original values, for scoring an imputation there.</summary>
public sealed record CorruptedCounts(CountMatrix Counts, int[] Cells, int[] Genes, double[] Original);

/// <summary>
/// The two corruptions of scVI's imputation benchmark (Methods 4.7). <see cref="ZeroNonZeros"/> picks a share of the
/// non-zero entries and sets them to zero (the Methods multiply by a Bernoulli variable; the Results section describes
/// the outcome as zeroing, which is what is scored here: every scored entry was in fact hidden).
/// <see cref="Downsample"/> picks a share of all entries and replaces n by Binomial(n, p).
/// </summary>
public static class Corruption
{
    public static CorruptedCounts ZeroNonZeros(CountMatrix counts, double share, ulong seed)
    {
        var chosen = Choose(counts.Values.Length, share, seed).Select(k => (int)k).ToArray();
        var values = (double[])counts.Values.Clone();
        var (cells, genes) = Positions(counts, chosen);
        var original = chosen.Select(k => counts.Values[k]).ToArray();
        foreach (var k in chosen) values[k] = 0;
        return new CorruptedCounts(Rebuild(counts, values), cells, genes, original);
    }

    public static CorruptedCounts Downsample(CountMatrix counts, double share, double keep, ulong seed)
    {
        var total = (long)counts.Cells * counts.Genes;
        var chosen = Choose(total, share, seed);
        var random = new RandomStream(seed, 1);
        var values = (double[])counts.Values.Clone();
        var cells = chosen.Select(k => (int)(k / counts.Genes)).ToArray();
        var genes = chosen.Select(k => (int)(k % counts.Genes)).ToArray();
        var original = new double[chosen.Length];
        for (var k = 0; k < chosen.Length; k++)
        {
            // A chosen zero stays zero (Binomial(0, p) = 0) but is still scored, as in the benchmark.
            var stored = Array.BinarySearch(counts.Columns, counts.RowStarts[cells[k]], counts.RowStarts[cells[k] + 1] - counts.RowStarts[cells[k]], genes[k]);
            if (stored < 0) continue;
            original[k] = values[stored];
            values[stored] = Binomial.Sample(original[k], keep, ref random);
        }
        return new CorruptedCounts(Rebuild(counts, values), cells, genes, original);
    }

    /// <summary>Median |original − imputed| over the corrupted entries; <paramref name="imputed"/> is cells × genes, row-major.</summary>
    public static double MedianL1(CorruptedCounts corruption, float[] imputed, int genes) =>
        MedianL1(corruption, (cell, gene) => imputed[cell * genes + gene]);

    /// <summary>Median |original − imputed(cell, gene)| over the corrupted entries.</summary>
    public static double MedianL1(CorruptedCounts corruption, Func<int, int, double> imputed)
    {
        var errors = new double[corruption.Original.Length];
        for (var k = 0; k < errors.Length; k++)
            errors[k] = Math.Abs(corruption.Original[k] - imputed(corruption.Cells[k], corruption.Genes[k]));
        return Median(errors);
    }

    public static double Median(double[] values)
    {
        if (values.Length == 0) throw new ArgumentException("the median of no values");
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }

    /// <summary>
    /// A seeded uniform choice of ⌊share·count⌋ distinct indices in increasing order, by Floyd's algorithm: memory
    /// in the number chosen, not in the matrix size.
    /// </summary>
    private static long[] Choose(long count, double share, ulong seed)
    {
        if (share <= 0 || share > 1) throw new ArgumentOutOfRangeException(nameof(share), "the corrupted share must be in (0, 1]");
        var take = (long)Math.Floor(share * count);
        if (take == 0) throw new ArgumentException($"a share of {share} of {count} entries corrupts none; use more data or a larger share");
        var chosen = new HashSet<long>();
        var random = new RandomStream(seed, 0);
        for (var j = count - take; j < count; j++)
        {
            var t = Math.Min((long)(random.NextDouble() * (j + 1)), j);
            chosen.Add(chosen.Contains(t) ? j : t);
        }
        var sorted = chosen.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Cell and gene of each stored (non-zero) entry index.</summary>
    private static (int[] Cells, int[] Genes) Positions(CountMatrix counts, int[] stored)
    {
        var cells = new int[stored.Length];
        var genes = new int[stored.Length];
        var cell = 0;
        for (var k = 0; k < stored.Length; k++)
        {
            while (counts.RowStarts[cell + 1] <= stored[k]) cell++;
            cells[k] = cell;
            genes[k] = counts.Columns[stored[k]];
        }
        return (cells, genes);
    }

    /// <summary>The same sparsity pattern with new values; entries set to zero are dropped so the matrix stays canonical.</summary>
    private static CountMatrix Rebuild(CountMatrix counts, double[] values)
    {
        var triplets = new List<(int, int, double)>(values.Length);
        for (var c = 0; c < counts.Cells; c++)
            for (var k = counts.RowStarts[c]; k < counts.RowStarts[c + 1]; k++)
                if (values[k] != 0) triplets.Add((c, counts.Columns[k], values[k]));
        return CountMatrix.FromTriplets(counts.Cells, counts.Genes, triplets, counts.CellNames, counts.GeneNames).WithMetadata(counts.Metadata);
    }
}
