using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Categories from unnormalised logits (rows x K): softmax with the row maximum subtracted (a stable log-sum-exp),
/// then inversion of the cumulative sum. Bernoulli from a logit is the K = 2 case done directly.
/// </summary>
public static class Categorical
{
    public static int SampleRow(ReadOnlySpan<double> logits, ref RandomStream random)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var total = 0.0;
        foreach (var l in logits) total += Math.Exp(l - max);
        var target = random.NextDouble() * total;
        var cumulative = 0.0;
        for (var k = 0; k < logits.Length - 1; k++)
        {
            cumulative += Math.Exp(logits[k] - max);
            if (target < cumulative) return k;
        }
        return logits.Length - 1;
    }

    public static void Sample(ReadOnlySpan<double> logits, int k, Span<int> destination, ref RandomStream random)
    {
        if (k <= 0 || logits.Length % k != 0) throw new ArgumentException($"logits hold {logits.Length} values, not rows of {k}", nameof(logits));
        var rows = logits.Length / k;
        var r = 0;
        for (; r + 4 <= rows; r += 4) SampleFourRows(logits.Slice(r * k, 4 * k), k, destination.Slice(r, 4), ref random);
        for (; r < rows; r++) destination[r] = SampleRow(logits.Slice(r * k, k), ref random);
    }

    private static void SampleFourRows(ReadOnlySpan<double> logits, int k, Span<int> destination, ref RandomStream random)
    {
        var max = Vector256.Create(double.NegativeInfinity);
        for (var j = 0; j < k; j++) max = Vector256.Max(max, Multinomial.Column(logits, k, j));
        var total = Vector256<double>.Zero;
        for (var j = 0; j < k; j++) total += Vector256.Exp(Multinomial.Column(logits, k, j) - max);
        var target = random.NextDoubleVector() * total;
        var cumulative = Vector256<double>.Zero;
        var chosen = Vector256.Create((double)(k - 1));
        var open = Vector256<double>.AllBitsSet;
        for (var j = 0; j < k - 1 && VectorRandom.Any(open); j++)
        {
            cumulative += Vector256.Exp(Multinomial.Column(logits, k, j) - max);
            var hit = open & Vector256.LessThan(target, cumulative);
            chosen = Vector256.ConditionalSelect(hit, Vector256.Create((double)j), chosen);
            open = Vector256.AndNot(open, hit);
        }
        for (var lane = 0; lane < 4; lane++) destination[lane] = (int)chosen[lane];
    }

    /// <summary>Bernoulli(logistic(logit)) for every element, as 0 or 1.</summary>
    public static void SampleBernoulli(ReadOnlySpan<double> logit, Span<double> destination, ref RandomStream random)
    {
        var i = 0;
        for (; i + 4 <= logit.Length; i += 4)
        {
            var p = Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-Vector256.Create(logit[i..])));
            Vector256.ConditionalSelect(Vector256.LessThan(random.NextDoubleVector(), p), Vector256<double>.One, Vector256<double>.Zero).CopyTo(destination[i..]);
        }
        for (; i < logit.Length; i++) destination[i] = SampleBernoulli(logit[i], ref random);
    }

    public static double SampleBernoulli(double logit, ref RandomStream random) =>
        random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
}
