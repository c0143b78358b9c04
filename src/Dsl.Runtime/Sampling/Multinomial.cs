using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Multinomial rows by conditional binomials: x_k ~ Binomial(n - x_1 - ... - x_{k-1}, p_k / (p_k + ... + p_K)).
/// Row r has its own trials n[r] and probabilities p (rows x K; each row is normalised by its sum).
/// <see cref="SampleRow"/> is the scalar reference; the span path draws each component over a block of rows.
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
    /// Multinomial(n[r], p[r, .]) for every row r. Each component is one span of conditional binomials over a block
    /// of rows, so the binomial sampler can sort the rows by method (inversion or BTRS) instead of running both
    /// wherever four rows' conditionals fall on different sides of its threshold.
    /// </summary>
    public static void Sample(ReadOnlySpan<double> n, ReadOnlySpan<double> p, int k, Span<double> destination, ref RandomStream random)
    {
        if (k <= 0 || p.Length != n.Length * k) throw new ArgumentException($"p must hold {n.Length} rows of {k}", nameof(p));
        Span<double> remaining = stackalloc double[Block];
        Span<double> mass = stackalloc double[Block];
        Span<double> conditional = stackalloc double[Block];
        Span<double> drawn = stackalloc double[Block];
        for (var start = 0; start < n.Length; start += Block)
        {
            var rows = Math.Min(Block, n.Length - start);
            for (var r = 0; r < rows; r++)
            {
                remaining[r] = n[start + r];
                var sum = 0.0;
                foreach (var value in p.Slice((start + r) * k, k)) sum += value;
                mass[r] = sum;
            }
            for (var j = 0; j < k - 1; j++)
            {
                for (var r = 0; r < rows; r++)
                {
                    var pj = p[(start + r) * k + j];
                    conditional[r] = remaining[r] > 0 && mass[r] > 0 ? Math.Min(1, pj / mass[r]) : 0;
                    mass[r] -= pj;
                }
                Binomial.Sample(remaining[..rows], conditional[..rows], drawn, ref random);
                for (var r = 0; r < rows; r++)
                {
                    destination[(start + r) * k + j] = drawn[r];
                    remaining[r] -= drawn[r];
                }
            }
            for (var r = 0; r < rows; r++) destination[(start + r) * k + k - 1] = remaining[r];
        }
    }

    internal static Vector256<double> Column(ReadOnlySpan<double> rows, int k, int j) =>
        Vector256.Create(rows[j], rows[k + j], rows[2 * k + j], rows[3 * k + j]);
}
