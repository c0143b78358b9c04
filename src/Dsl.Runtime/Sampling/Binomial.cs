using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Binomial(n, p), exact for all n: p above 1/2 draws n - Binomial(n, 1 - p); then inversion by sequential search
/// when n p &lt; 10, else Hormann's BTRS transformed rejection (1993).
/// </summary>
public static class Binomial
{
    public const double RejectionThreshold = 10;

    public static double Sample(double n, double p, ref RandomStream random)
    {
        if (n <= 0 || p <= 0) return 0;
        if (p >= 1) return n;
        var flip = p > 0.5;
        var q = flip ? 1 - p : p;
        var k = n * q < RejectionThreshold ? Inversion(n, q, ref random) : Btrs(n, q, ref random);
        return flip ? n - k : k;
    }

    /// <summary>Elements classified per pass of <see cref="Sample(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, ref RandomStream)"/>.</summary>
    private const int Block = 1024;

    /// <summary>
    /// Binomial(n[i], p[i]) for every i. Elements are first sorted by method (inversion or BTRS), then drawn four
    /// at a time within each: a vector whose lanes mixed the two would run both methods' loops.
    /// </summary>
    public static void Sample(ReadOnlySpan<double> n, ReadOnlySpan<double> p, Span<double> destination, ref RandomStream random)
    {
        if (p.Length != n.Length || destination.Length < n.Length) throw new ArgumentException("n, p and destination must have one length");
        Span<int> inversion = stackalloc int[Block];
        Span<int> rejection = stackalloc int[Block];
        for (var start = 0; start < n.Length; start += Block)
        {
            var end = Math.Min(n.Length, start + Block);
            int inversions = 0, rejections = 0;
            for (var i = start; i < end; i++)
            {
                if (n[i] <= 0 || p[i] <= 0 || p[i] >= 1) destination[i] = n[i] > 0 && p[i] >= 1 ? n[i] : 0;
                else if (n[i] * Math.Min(p[i], 1 - p[i]) < RejectionThreshold) inversion[inversions++] = i;
                else rejection[rejections++] = i;
            }
            SampleAt(inversion[..inversions], n, p, destination, ref random);
            SampleAt(rejection[..rejections], n, p, destination, ref random);
        }
    }

    /// <summary>Draws the listed elements, four gathered into a vector at a time.</summary>
    private static void SampleAt(ReadOnlySpan<int> elements, ReadOnlySpan<double> n, ReadOnlySpan<double> p, Span<double> destination, ref RandomStream random)
    {
        var i = 0;
        for (; i + 4 <= elements.Length; i += 4)
        {
            int e0 = elements[i], e1 = elements[i + 1], e2 = elements[i + 2], e3 = elements[i + 3];
            var k = Sample(Vector256.Create(n[e0], n[e1], n[e2], n[e3]), Vector256.Create(p[e0], p[e1], p[e2], p[e3]), ref random);
            destination[e0] = k[0];
            destination[e1] = k[1];
            destination[e2] = k[2];
            destination[e3] = k[3];
        }
        for (; i < elements.Length; i++) destination[elements[i]] = Sample(n[elements[i]], p[elements[i]], ref random);
    }

    private static double Inversion(double n, double p, ref RandomStream random)
    {
        var q = 1 - p;
        var s = p / q;
        var a = (n + 1) * s;
        var r = Math.Exp(n * SpecialFunctions.Log1p(-p));
        var u = random.NextDouble();
        var x = 0.0;
        while (u > r && x < n)
        {
            u -= r;
            x++;
            r *= a / x - s;
        }
        return x;
    }

    private static double Btrs(double n, double p, ref RandomStream random)
    {
        var q = 1 - p;
        var spq = Math.Sqrt(n * p * q);
        var b = 1.15 + 2.53 * spq;
        var a = -0.0873 + 0.0248 * b + 0.01 * p;
        var c = n * p + 0.5;
        var vr = 0.92 - 4.2 / b;
        var alpha = (2.83 + 5.1 / b) * spq;
        var lpq = Math.Log(p / q);
        var m = Math.Floor((n + 1) * p);
        var h = SpecialFunctions.LogGamma(m + 1) + SpecialFunctions.LogGamma(n - m + 1);
        while (true)
        {
            var u = random.NextDouble() - 0.5;
            var v = random.NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((2 * a / us + b) * u + c);
            if (k < 0 || k > n) continue;
            if (us >= 0.07 && v <= vr) return k;
            var lhs = Math.Log(v * alpha / (a / (us * us) + b));
            if (lhs <= h - SpecialFunctions.LogGamma(k + 1) - SpecialFunctions.LogGamma(n - k + 1) + (k - m) * lpq) return k;
        }
    }

    /// <summary>Four binomial draws with their own n and p.</summary>
    public static Vector256<double> Sample(Vector256<double> n, Vector256<double> p, ref RandomStream random)
    {
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var degenerate = Vector256.LessThanOrEqual(n, zero) | Vector256.LessThanOrEqual(p, zero) | Vector256.GreaterThanOrEqual(p, one);
        var flip = Vector256.GreaterThan(p, Vector256.Create(0.5));
        var q = Vector256.ConditionalSelect(flip, one - p, p);
        q = Vector256.ConditionalSelect(degenerate, Vector256.Create(0.25), q);
        var nSafe = Vector256.ConditionalSelect(degenerate, one, n);
        var small = Vector256.LessThan(nSafe * q, Vector256.Create(RejectionThreshold));
        var k = zero;
        if (VectorRandom.Any(small & ~degenerate)) k = Vector256.ConditionalSelect(small, Inversion(nSafe, q, small & ~degenerate, ref random), k);
        var large = ~small & ~degenerate;
        if (VectorRandom.Any(large)) k = Vector256.ConditionalSelect(large, Btrs(nSafe, q, large, ref random), k);
        k = Vector256.ConditionalSelect(flip, nSafe - k, k);
        var edge = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(p, one) & Vector256.GreaterThan(n, zero), n, zero);
        return Vector256.ConditionalSelect(degenerate, edge, k);
    }

    private static Vector256<double> Inversion(Vector256<double> n, Vector256<double> p, Vector256<double> lanes, ref RandomStream random)
    {
        var q = Vector256<double>.One - p;
        var s = p / q;
        var a = (n + Vector256<double>.One) * s;
        var r = Vector256.Exp(n * VectorMath.Log1p(-p));
        var u = random.NextDoubleVector();
        var x = Vector256<double>.Zero;
        var going = lanes & Vector256.GreaterThan(u, r) & Vector256.LessThan(x, n);
        while (VectorRandom.Any(going))
        {
            u = Vector256.ConditionalSelect(going, u - r, u);
            x = Vector256.ConditionalSelect(going, x + Vector256<double>.One, x);
            r = Vector256.ConditionalSelect(going, r * (a / x - s), r);
            going &= Vector256.GreaterThan(u, r) & Vector256.LessThan(x, n);
        }
        return x;
    }

    private static Vector256<double> Btrs(Vector256<double> n, Vector256<double> p, Vector256<double> lanes, ref RandomStream random)
    {
        // Lanes outside this regime get stand-in parameters, so their small n p cannot force the whole vector onto
        // the slow lgamma path (their results are discarded).
        n = Vector256.ConditionalSelect(lanes, n, Vector256.Create(100.0));
        p = Vector256.ConditionalSelect(lanes, p, Vector256.Create(0.5));
        var q = Vector256<double>.One - p;
        var spq = Vector256.Sqrt(n * p * q);
        var b = Vector256.Create(1.15) + Vector256.Create(2.53) * spq;
        var a = Vector256.Create(-0.0873) + Vector256.Create(0.0248) * b + Vector256.Create(0.01) * p;
        var c = n * p + Vector256.Create(0.5);
        var vr = Vector256.Create(0.92) - Vector256.Create(4.2) / b;
        var alpha = (Vector256.Create(2.83) + Vector256.Create(5.1) / b) * spq;
        var lpq = Vector256.Log(p / q);
        var m = Vector256.Floor((n + Vector256<double>.One) * p);
        var h = VectorMath.LogFactorial(m) + VectorMath.LogFactorial(n - m);
        var result = Vector256<double>.Zero;
        var pending = lanes;
        while (VectorRandom.Any(pending))
        {
            var u = random.NextDoubleVector() - Vector256.Create(0.5);
            var v = random.NextDoubleVector();
            var us = Vector256.Create(0.5) - Vector256.Abs(u);
            var k = Vector256.Floor((Vector256.Create(2.0) * a / us + b) * u + c);
            var inRange = Vector256.GreaterThanOrEqual(k, Vector256<double>.Zero) & Vector256.LessThanOrEqual(k, n);
            var quick = Vector256.GreaterThanOrEqual(us, Vector256.Create(0.07)) & Vector256.LessThanOrEqual(v, vr);
            var accepted = inRange & quick & pending;
            // The exact test (two lgammas and a log) only where a pending lane in range missed the squeeze.
            if (VectorRandom.Any(inRange & pending & ~quick))
            {
                var kSafe = Vector256.Min(Vector256.Max(k, Vector256<double>.Zero), n);
                var lhs = Vector256.Log(v * alpha / (a / (us * us) + b));
                var full = Vector256.LessThanOrEqual(lhs, h - VectorMath.LogFactorial(kSafe) - VectorMath.LogFactorial(n - kSafe) + (kSafe - m) * lpq);
                accepted |= inRange & full & pending;
            }
            result = Vector256.ConditionalSelect(accepted, k, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }
}
