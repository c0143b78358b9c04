namespace Dsl.Runtime.Evaluation;

/// <summary>
/// k-nearest-neighbour measures of an integrated latent space (gimVI §3.1): how well two data sets mix, and how much
/// of each set's own neighbourhood structure survives. Brute force Euclidean neighbours, exact and deterministic.
/// </summary>
public static class Neighbourhoods
{
    /// <summary>
    /// Mixing of unbalanced sets: for each of <paramref name="probes"/> seeded cells, −KL(local ‖ global) between the set
    /// frequencies among its k nearest neighbours and the sets' overall frequencies, averaged (0 when perfectly mixed,
    /// negative when the sets separate), as gimVI's generalisation of the entropy of mixing.
    /// </summary>
    public static double NegativeMixingDivergence(ReadOnlySpan<float> points, int rows, int dimensions, IReadOnlyList<int> sets, int k = 50, int probes = 500, ulong seed = 0)
    {
        if (sets.Count != rows) throw new ArgumentException($"{sets.Count} set labels for {rows} points");
        k = Math.Min(k, rows - 1);
        if (k < 1) throw new ArgumentException("mixing needs at least two cells");
        var data = Widen(points[..(rows * dimensions)]);
        var count = sets.Max() + 1;
        var global = new double[count];
        foreach (var s in sets) global[s] += 1.0 / rows;
        var random = new Random.RandomStream(seed, 0x3117);
        var total = 0.0;
        for (var probe = 0; probe < probes; probe++)
        {
            var cell = Math.Min((int)(random.NextDouble() * rows), rows - 1);
            var local = new double[count];
            foreach (var neighbour in Nearest(data.AsSpan(cell * dimensions, dimensions), data, rows, dimensions, k, exclude: cell)) local[sets[neighbour]] += 1.0 / k;
            for (var s = 0; s < count; s++)
                if (local[s] > 0) total -= local[s] * Math.Log(local[s] / global[s]);
        }
        return total / probes;
    }

    /// <summary>
    /// k-NN purity: the mean over cells of the Jaccard index between a cell's k nearest neighbours in one embedding and
    /// in another of the same cells (1: the same neighbourhoods).
    /// </summary>
    public static double Purity(ReadOnlySpan<float> first, int firstDimensions, ReadOnlySpan<float> second, int secondDimensions, int rows, int k = 30)
    {
        k = Math.Min(k, rows - 1);
        if (k < 1) throw new ArgumentException("purity needs at least two cells");
        var (a, b) = (Widen(first[..(rows * firstDimensions)]), Widen(second[..(rows * secondDimensions)]));
        var total = 0.0;
        for (var cell = 0; cell < rows; cell++)
        {
            var mine = Nearest(a.AsSpan(cell * firstDimensions, firstDimensions), a, rows, firstDimensions, k, exclude: cell).ToHashSet();
            var theirs = Nearest(b.AsSpan(cell * secondDimensions, secondDimensions), b, rows, secondDimensions, k, exclude: cell);
            var shared = theirs.Count(mine.Contains);
            total += shared / (2.0 * k - shared);
        }
        return total / rows;
    }

    /// <summary>
    /// The k nearest of <paramref name="rows"/> points (row-major, <paramref name="dimensions"/> wide) to a query point by
    /// Euclidean distance, leaving out point <paramref name="exclude"/> (the query itself; −1 for none). The same set for
    /// the same data on every run.
    /// </summary>
    public static int[] Nearest(ReadOnlySpan<double> query, double[] points, int rows, int dimensions, int k, int exclude = -1)
    {
        var distances = new double[rows];
        var order = new int[rows];
        for (var j = 0; j < rows; j++)
        {
            order[j] = j;
            var sum = 0.0;
            for (var d = 0; d < dimensions; d++)
            {
                var difference = query[d] - points[j * dimensions + d];
                sum += difference * difference;
            }
            distances[j] = j == exclude ? double.PositiveInfinity : sum;
        }
        Array.Sort(distances, order);
        return order[..Math.Min(k, rows)];
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (var i = 0; i < wide.Length; i++) wide[i] = values[i];
        return wide;
    }
}
