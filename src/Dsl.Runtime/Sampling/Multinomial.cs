using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Multinomial rows by conditional binomials: x_k ~ Binomial(n - x_1 - ... - x_{k-1}, p_k / (p_k + ... + p_K)).
/// Row r has its own trials n[r] and probabilities p (rows x K; each row is normalised by its sum). The vector path
/// draws four rows at once, one conditional binomial per component.
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

    public static void Sample(ReadOnlySpan<double> n, ReadOnlySpan<double> p, int k, Span<double> destination, ref RandomStream random)
    {
        if (k <= 0 || p.Length != n.Length * k) throw new ArgumentException($"p must hold {n.Length} rows of {k}", nameof(p));
        var r = 0;
        for (; r + 4 <= n.Length; r += 4) SampleFourRows(Vector256.Create(n[r..]), p.Slice(r * k, 4 * k), k, destination.Slice(r * k, 4 * k), ref random);
        for (; r < n.Length; r++) SampleRow(n[r], p.Slice(r * k, k), destination.Slice(r * k, k), ref random);
    }

    private static void SampleFourRows(Vector256<double> n, ReadOnlySpan<double> p, int k, Span<double> destination, ref RandomStream random)
    {
        var mass = Vector256<double>.Zero;
        for (var j = 0; j < k; j++) mass += Column(p, k, j);
        var remaining = n;
        for (var j = 0; j < k - 1; j++)
        {
            var pj = Column(p, k, j);
            var conditional = Vector256.Min(Vector256<double>.One, pj / mass);
            var x = Binomial.Sample(remaining, conditional, ref random);
            Store(destination, k, j, x);
            remaining -= x;
            mass -= pj;
        }
        Store(destination, k, k - 1, remaining);
    }

    internal static Vector256<double> Column(ReadOnlySpan<double> rows, int k, int j) =>
        Vector256.Create(rows[j], rows[k + j], rows[2 * k + j], rows[3 * k + j]);

    internal static void Store(Span<double> rows, int k, int j, Vector256<double> values)
    {
        for (var lane = 0; lane < 4; lane++) rows[lane * k + j] = values[lane];
    }
}
