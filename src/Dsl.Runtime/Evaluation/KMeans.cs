using System;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Evaluation;

/// <summary>
/// Lloyd's k-means with k-means++ seeding, restarted from several seeded starts and keeping the lowest
/// within-cluster sum of squares (scVI's Methods 4.7 uses 200 starts "to have a stable score").
/// </summary>
public static class KMeans
{
    /// <param name="points">rows × dimensions, row-major</param>
    /// <returns>the cluster of each row, 0..clusters−1</returns>
    public static int[] Cluster(ReadOnlySpan<float> points, int rows, int dimensions, int clusters, int starts, ulong seed, int maxIterations = 300)
    {
        if (clusters < 1 || clusters > rows) throw new ArgumentOutOfRangeException(nameof(clusters), $"{clusters} clusters for {rows} points");
        var data = new double[rows * dimensions];
        for (var i = 0; i < data.Length; i++) data[i] = points[i];
        int[]? best = null;
        var bestInertia = double.PositiveInfinity;
        var labels = new int[rows];
        var centres = new double[clusters * dimensions];
        for (var start = 0; start < starts; start++)
        {
            var random = new RandomStream(seed, (ulong)start);
            Seed(data, rows, dimensions, clusters, centres, ref random);
            var inertia = Lloyd(data, rows, dimensions, clusters, centres, labels, maxIterations);
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                best = (int[])labels.Clone();
            }
        }
        return best!;
    }

    /// <summary>k-means++: each next centre is a point drawn with probability proportional to its squared distance to the nearest centre.</summary>
    private static void Seed(double[] data, int rows, int dimensions, int clusters, double[] centres, ref RandomStream random)
    {
        var nearest = new double[rows];
        var first = (int)(random.NextDouble() * rows);
        Array.Copy(data, Math.Min(first, rows - 1) * dimensions, centres, 0, dimensions);
        for (var r = 0; r < rows; r++) nearest[r] = Distance2(data, r, centres, 0, dimensions);
        for (var c = 1; c < clusters; c++)
        {
            var total = 0.0;
            foreach (var d in nearest) total += d;
            var target = random.NextDouble() * total;
            var chosen = rows - 1;
            for (var r = 0; r < rows; r++)
            {
                target -= nearest[r];
                if (target <= 0) { chosen = r; break; }
            }
            Array.Copy(data, chosen * dimensions, centres, c * dimensions, dimensions);
            for (var r = 0; r < rows; r++) nearest[r] = Math.Min(nearest[r], Distance2(data, r, centres, c, dimensions));
        }
    }

    private static double Lloyd(double[] data, int rows, int dimensions, int clusters, double[] centres, int[] labels, int maxIterations)
    {
        var sizes = new int[clusters];
        var inertia = 0.0;
        Array.Fill(labels, -1);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var changed = false;
            inertia = 0;
            for (var r = 0; r < rows; r++)
            {
                var (label, distance) = Nearest(data, r, centres, clusters, dimensions);
                inertia += distance;
                if (label != labels[r]) { labels[r] = label; changed = true; }
            }
            if (!changed) break;
            Array.Clear(centres);
            Array.Clear(sizes);
            for (var r = 0; r < rows; r++)
            {
                sizes[labels[r]]++;
                for (var d = 0; d < dimensions; d++) centres[labels[r] * dimensions + d] += data[r * dimensions + d];
            }
            for (var c = 0; c < clusters; c++)
            {
                // An emptied cluster keeps a zero centre, far from everything once points are standardised; it is
                // rare after k-means++ seeding and costs only a worse inertia, which the restarts discard.
                if (sizes[c] == 0) continue;
                for (var d = 0; d < dimensions; d++) centres[c * dimensions + d] /= sizes[c];
            }
        }
        return inertia;
    }

    private static (int Label, double Distance) Nearest(double[] data, int row, double[] centres, int clusters, int dimensions)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var c = 0; c < clusters; c++)
        {
            var distance = Distance2(data, row, centres, c, dimensions);
            if (distance < bestDistance) { bestDistance = distance; best = c; }
        }
        return (best, bestDistance);
    }

    private static double Distance2(double[] data, int row, double[] centres, int centre, int dimensions)
    {
        var sum = 0.0;
        for (var d = 0; d < dimensions; d++)
        {
            var difference = data[row * dimensions + d] - centres[centre * dimensions + d];
            sum += difference * difference;
        }
        return sum;
    }
}
