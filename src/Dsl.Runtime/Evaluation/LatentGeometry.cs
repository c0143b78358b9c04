using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Evaluation;

/// <summary>Scores of a latent space against cell labels (scVI Methods 4.7), by exact Euclidean distances.</summary>
public static class LatentGeometry
{
    /// <summary>
    /// Mean silhouette width: per cell (b − a)/max(a, b) with a the mean distance to its own label's other cells and
    /// b the lowest mean distance to another label's cells; a cell alone in its label scores 0 (Rousseeuw's convention).
    /// </summary>
    public static double Silhouette(ReadOnlySpan<float> points, int rows, int dimensions, IReadOnlyList<int> labels)
    {
        if (labels.Count != rows) throw new ArgumentException($"{labels.Count} labels for {rows} points");
        var groups = labels.Max() + 1;
        var sizes = new int[groups];
        foreach (var label in labels) sizes[label]++;
        if (sizes.Count(s => s > 0) < 2) throw new ArgumentException("the silhouette needs at least two distinct labels");
        var data = points[..(rows * dimensions)].ToArray();
        var scores = new double[rows];
        Parallel.For(0, rows, i =>
        {
            var sums = new double[groups];
            for (var j = 0; j < rows; j++)
                if (j != i) sums[labels[j]] += Math.Sqrt(Distance2(data, i, j, dimensions));
            var own = labels[i];
            if (sizes[own] < 2) return;
            var a = sums[own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var g = 0; g < groups; g++)
                if (g != own && sizes[g] > 0) b = Math.Min(b, sums[g] / sizes[g]);
            scores[i] = (b - a) / Math.Max(a, b);
        });
        return scores.Average();
    }

    /// <summary>
    /// Entropy of batch mixing: for each of <paramref name="probes"/> seeded random cells, the entropy (nats) of the
    /// batch frequencies among its <paramref name="neighbours"/> nearest neighbours, averaged. Well-mixed batches give
    /// log(batches); separated ones give 0.
    /// </summary>
    public static double BatchMixingEntropy(ReadOnlySpan<float> points, int rows, int dimensions, IReadOnlyList<int> batches,
        int neighbours = 50, int probes = 100, ulong seed = 0)
    {
        if (batches.Count != rows) throw new ArgumentException($"{batches.Count} batch labels for {rows} points");
        neighbours = Math.Min(neighbours, rows - 1);
        if (neighbours < 1) throw new ArgumentException("batch mixing needs at least two cells");
        var data = points[..(rows * dimensions)].ToArray();
        var random = new RandomStream(seed, 0);
        var batchCount = batches.Max() + 1;
        var total = 0.0;
        var distances = new double[rows];
        var order = new int[rows];
        for (var probe = 0; probe < probes; probe++)
        {
            var cell = Math.Min((int)(random.NextDouble() * rows), rows - 1);
            for (var j = 0; j < rows; j++)
            {
                order[j] = j;
                // The probe itself is not its own neighbour.
                distances[j] = j == cell ? double.PositiveInfinity : Distance2(data, cell, j, dimensions);
            }
            Array.Sort(distances, order);
            var counts = new double[batchCount];
            for (var k = 0; k < neighbours; k++) counts[batches[order[k]]]++;
            total -= counts.Where(c => c > 0).Sum(c => c / neighbours * Math.Log(c / neighbours));
        }
        return total / probes;
    }

    private static double Distance2(float[] data, int i, int j, int dimensions)
    {
        var sum = 0.0;
        for (var d = 0; d < dimensions; d++)
        {
            double difference = data[i * dimensions + d] - data[j * dimensions + d];
            sum += difference * difference;
        }
        return sum;
    }
}
