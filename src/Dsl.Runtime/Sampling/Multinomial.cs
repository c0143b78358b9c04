using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Multinomial rows by conditional binomials: x_k ~ Binomial(n - x_1 - ... - x_{k-1}, p_k / (p_k + ... + p_K)).
/// Row r has its own trials n[r] and probabilities p (rows x K; each row is normalised by its sum).
/// <see cref="SampleRow"/> is the scalar reference; the span path counts rows with few trials
/// (<see cref="MultinomialByCounting"/>) and draws each component of the others over a block of rows.
/// </summary>
public static class Multinomial
{
    public static void SampleRow(double n, ReadOnlySpan<double> p, Span<double> destination, ref RandomStream random)
    {
        var remainingMass = 0.0;
        foreach (var value in p) remainingMass += value;
        var remaining = n;
        for (var k = 0; k < p.Length - 1; k++)
        {
            var x = remaining > 0 && remainingMass > 0 ? Binomial.Sample(remaining, Math.Min(1, p[k] / remainingMass), ref random) : 0;
            destination[k] = x;
            remaining -= x;
            remainingMass -= p[k];
        }
        destination[p.Length - 1] = remaining;
    }

    /// <summary>Rows drawn together, one component at a time.</summary>
    private const int Block = 256;

    /// <summary>
    /// Multinomial(n[r], p[r, .]) for every row r. Rows with few trials are counted (<see cref="MultinomialByCounting"/>);
    /// the rest of a block of rows is drawn one component at a time, as one span of conditional binomials, so the
    /// binomial sampler can sort them by method (inversion or BTRS) instead of running both wherever four rows'
    /// conditionals fall on different sides of its threshold.
    /// </summary>
    public static void Sample(ReadOnlySpan<double> n, ReadOnlySpan<double> p, int k, Span<double> destination, ref RandomStream random)
    {
        if (k <= 0 || p.Length != n.Length * k) throw new ArgumentException($"p must hold {n.Length} rows of {k}", nameof(p));
        var counting = new MultinomialByCounting(stackalloc uint[MultinomialByCounting.BufferWords]);
        Span<int> deferred = stackalloc int[Block];
        Span<double> remaining = stackalloc double[Block];
        Span<double> mass = stackalloc double[Block];
        Span<double> conditional = stackalloc double[Block];
        Span<double> drawn = stackalloc double[Block];
        for (var start = 0; start < n.Length; start += Block)
        {
            var rows = 0;
            for (var r = start; r < Math.Min(n.Length, start + Block); r++)
            {
                if (n[r] == 0)
                {
                    destination.Slice(r * k, k).Clear();
                    continue;
                }
                var sum = 0.0;
                foreach (var value in p.Slice(r * k, k)) sum += value;
                if (sum > 0 && double.IsFinite(sum) && MultinomialByCounting.Suits(n[r], k))
                {
                    counting.SampleRow((int)n[r], p.Slice(r * k, k), sum, destination.Slice(r * k, k), ref random);
                    continue;
                }
                deferred[rows] = r;
                remaining[rows] = n[r];
                mass[rows] = sum;
                rows++;
            }
            for (var j = 0; j < k - 1; j++)
            {
                for (var d = 0; d < rows; d++)
                {
                    var pj = p[deferred[d] * k + j];
                    conditional[d] = remaining[d] > 0 && mass[d] > 0 ? Math.Min(1, pj / mass[d]) : 0;
                    mass[d] -= pj;
                }
                Binomial.Sample(remaining[..rows], conditional[..rows], drawn, ref random);
                for (var d = 0; d < rows; d++)
                {
                    destination[deferred[d] * k + j] = drawn[d];
                    remaining[d] -= drawn[d];
                }
            }
            for (var d = 0; d < rows; d++) destination[deferred[d] * k + k - 1] = remaining[d];
        }
    }

    internal static Vector256<double> Column(ReadOnlySpan<double> rows, int k, int j) =>
        Vector256.Create(rows[j], rows[k + j], rows[2 * k + j], rows[3 * k + j]);
}
