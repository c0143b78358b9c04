using Dsl.Runtime.Random;

namespace Dsl.Runtime.Evaluation;

/// <summary>
/// Exact t-SNE (van der Maaten and Hinton 2008) for a 2-D picture of a latent space: Gaussian affinities with each
/// point's bandwidth set by binary search to the perplexity, symmetrised; Student-t affinities in the plane; gradient
/// descent with momentum, gains and early exaggeration (x12 for the first quarter of the iterations). O(n^2) per
/// iteration (each point's row on its own thread chunk, so the result does not depend on the thread count), so callers
/// embed at most a few thousand points (a seeded subsample of larger data). Deterministic for the seed.
/// </summary>
public static class Tsne
{
    /// <param name="points">n x d, row-major</param>
    /// <returns>n x 2, row-major</returns>
    public static double[] Embed(ReadOnlySpan<float> points, int n, int d, ulong seed, double perplexity = 30, int iterations = 500)
    {
        if (n < 4) throw new ArgumentException($"t-SNE needs at least 4 points, not {n}");
        perplexity = Math.Min(perplexity, (n - 1) / 3.0);
        var p = Affinities(points, n, d, perplexity);
        var y = new double[2 * n];
        var random = new RandomStream(seed, 0x75E);
        // Start from N(0, 1e-4^2) (Box-Muller), as the paper does.
        for (var i = 0; i < y.Length; i++) y[i] = 1e-4 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var update = new double[2 * n];
        var gains = new double[2 * n];
        Array.Fill(gains, 1.0);
        var gradient = new double[2 * n];
        var q = new double[n * n];
        var exaggerated = iterations / 4;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var exaggeration = iteration < exaggerated ? 12.0 : 1.0;
            var momentum = iteration < exaggerated ? 0.5 : 0.8;
            Gradient(p, y, n, exaggeration, q, gradient);
            for (var i = 0; i < y.Length; i++)
            {
                gains[i] = Math.Sign(gradient[i]) != Math.Sign(update[i]) ? gains[i] + 0.2 : Math.Max(0.01, gains[i] * 0.8);
                update[i] = momentum * update[i] - 200.0 * gains[i] * gradient[i];
                y[i] += update[i];
            }
            Center(y, n);
        }
        return y;
    }

    /// <summary>Symmetric P: p_ij = (p_j|i + p_i|j) / 2n, each p_.|i a Gaussian whose entropy gives the perplexity.</summary>
    private static double[] Affinities(ReadOnlySpan<float> points, int n, int d, double perplexity)
    {
        var distances = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < d; k++)
                {
                    var diff = (double)points[i * d + k] - points[j * d + k];
                    sum += diff * diff;
                }
                distances[i * n + j] = distances[j * n + i] = sum;
            }
        var conditional = new double[n * n];
        var target = Math.Log(perplexity);
        for (var i = 0; i < n; i++)
        {
            double low = 0, high = double.PositiveInfinity, beta = 1;
            for (var step = 0; step < 64; step++)
            {
                var entropy = Row(distances, conditional, i, n, beta);
                if (Math.Abs(entropy - target) < 1e-5) break;
                if (entropy > target) { low = beta; beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2; }
                else { high = beta; beta = (beta + low) / 2; }
            }
        }
        var p = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) p[i * n + j] = Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }

    /// <summary>Fills row i of the conditional affinities at precision beta; returns the row's entropy (nats).</summary>
    private static double Row(double[] distances, double[] conditional, int i, int n, double beta)
    {
        // Shift by the smallest distance so the exponentials cannot all underflow.
        var nearest = double.PositiveInfinity;
        for (var j = 0; j < n; j++) if (j != i) nearest = Math.Min(nearest, distances[i * n + j]);
        var sum = 0.0;
        for (var j = 0; j < n; j++)
        {
            var value = j == i ? 0 : Math.Exp(-beta * (distances[i * n + j] - nearest));
            conditional[i * n + j] = value;
            sum += value;
        }
        var weighted = 0.0;
        for (var j = 0; j < n; j++)
        {
            conditional[i * n + j] /= sum;
            weighted += conditional[i * n + j] * (distances[i * n + j] - nearest);
        }
        return Math.Log(sum) + beta * weighted;
    }

    /// <summary>dC/dy_i = 4 sum_j (e p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2), with q_ij = w_ij / sum w.</summary>
    private static void Gradient(double[] p, double[] y, int n, double exaggeration, double[] w, double[] gradient)
    {
        // Row by row in parallel; the rows' sums are added in order, so the total is the same at any thread count.
        var rowTotals = new double[n];
        Parallel.For(0, n, i =>
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                if (j == i) { w[i * n + j] = 0; continue; }
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                var value = 1.0 / (1.0 + dx * dx + dy * dy);
                w[i * n + j] = value;
                sum += value;
            }
            rowTotals[i] = sum;
        });
        var total = 0.0;
        foreach (var rowTotal in rowTotals) total += rowTotal;
        Parallel.For(0, n, i =>
        {
            double gx = 0, gy = 0;
            for (var j = 0; j < n; j++)
            {
                if (j == i) continue;
                var value = w[i * n + j];
                var force = (exaggeration * p[i * n + j] - value / total) * value;
                gx += force * (y[2 * i] - y[2 * j]);
                gy += force * (y[2 * i + 1] - y[2 * j + 1]);
            }
            gradient[2 * i] = 4 * gx;
            gradient[2 * i + 1] = 4 * gy;
        });
    }

    private static void Center(double[] y, int n)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n;
        my /= n;
        for (var i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }
}
