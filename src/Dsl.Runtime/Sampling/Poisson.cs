using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Poisson(rate): inversion by sequential search below rate 10, Hormann's PTRS transformed rejection (1993) above.
/// </summary>
public static class Poisson
{
    public const double RejectionThreshold = 10;

    public static double Sample(double rate, ref RandomStream random)
    {
        if (!(rate > 0)) return 0;
        return rate < RejectionThreshold ? Inversion(rate, ref random) : Ptrs(rate, ref random);
    }

    public static void Sample(ReadOnlySpan<double> rate, Span<double> destination, ref RandomStream random)
    {
        var i = 0;
        for (; i + 4 <= rate.Length; i += 4)
            Sample(Vector256.Create(rate[i..]), ref random).CopyTo(destination[i..]);
        for (; i < rate.Length; i++) destination[i] = Sample(rate[i], ref random);
    }

    private static double Inversion(double rate, ref RandomStream random)
    {
        var p = Math.Exp(-rate);
        var u = random.NextDouble();
        var x = 0.0;
        while (u > p && p > 0)
        {
            u -= p;
            x++;
            p *= rate / x;
        }
        return x;
    }

    private static double Ptrs(double rate, ref RandomStream random)
    {
        var (b, a, logInvAlpha, vr, logRate) = Constants(rate);
        while (true)
        {
            var u = random.NextDouble() - 0.5;
            var v = random.NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((2 * a / us + b) * u + rate + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + logInvAlpha - Math.Log(a / (us * us) + b) <= -rate + k * logRate - SpecialFunctions.LogGamma(k + 1))
                return k;
        }
    }

    private static (double B, double A, double LogInvAlpha, double Vr, double LogRate) Constants(double rate)
    {
        var b = 0.931 + 2.53 * Math.Sqrt(rate);
        return (b, -0.059 + 0.02483 * b, Math.Log(1.1239 + 1.1328 / (b - 3.4)), 0.9277 - 3.6224 / (b - 2), Math.Log(rate));
    }

    /// <summary>Four Poisson draws: small rates by masked inversion, the rest by masked PTRS.</summary>
    public static Vector256<double> Sample(Vector256<double> rate, ref RandomStream random)
    {
        rate = Vector256.Max(rate, Vector256<double>.Zero);
        var small = Vector256.LessThan(rate, Vector256.Create(RejectionThreshold));
        var result = Vector256<double>.Zero;
        if (VectorRandom.Any(small)) result = Vector256.ConditionalSelect(small, Inversion(rate, small, ref random), result);
        var large = ~small;
        if (VectorRandom.Any(large)) result = Vector256.ConditionalSelect(large, Ptrs(Vector256.Max(rate, Vector256.Create(RejectionThreshold)), large, ref random), result);
        return result;
    }

    private static Vector256<double> Inversion(Vector256<double> rate, Vector256<double> lanes, ref RandomStream random)
    {
        var p = Vector256.Exp(-rate);
        var u = random.NextDoubleVector();
        var x = Vector256<double>.Zero;
        var going = lanes & Vector256.GreaterThan(u, p) & Vector256.GreaterThan(p, Vector256<double>.Zero);
        while (VectorRandom.Any(going))
        {
            u = Vector256.ConditionalSelect(going, u - p, u);
            x = Vector256.ConditionalSelect(going, x + Vector256<double>.One, x);
            p = Vector256.ConditionalSelect(going, p * rate / x, p);
            going &= Vector256.GreaterThan(u, p) & Vector256.GreaterThan(p, Vector256<double>.Zero);
        }
        return x;
    }

    private static Vector256<double> Ptrs(Vector256<double> rate, Vector256<double> lanes, ref RandomStream random)
    {
        var b = Vector256.Create(0.931) + Vector256.Create(2.53) * Vector256.Sqrt(rate);
        var a = Vector256.Create(-0.059) + Vector256.Create(0.02483) * b;
        var logInvAlpha = Vector256.Log(Vector256.Create(1.1239) + Vector256.Create(1.1328) / (b - Vector256.Create(3.4)));
        var vr = Vector256.Create(0.9277) - Vector256.Create(3.6224) / (b - Vector256.Create(2.0));
        var logRate = Vector256.Log(rate);
        var result = Vector256<double>.Zero;
        var pending = lanes;
        while (VectorRandom.Any(pending))
        {
            var u = random.NextDoubleVector() - Vector256.Create(0.5);
            var v = random.NextDoubleVector();
            var us = Vector256.Create(0.5) - Vector256.Abs(u);
            var k = Vector256.Floor((Vector256.Create(2.0) * a / us + b) * u + rate + Vector256.Create(0.43));
            var quick = Vector256.GreaterThanOrEqual(us, Vector256.Create(0.07)) & Vector256.LessThanOrEqual(v, vr);
            var excluded = Vector256.LessThan(k, Vector256<double>.Zero)
                | (Vector256.LessThan(us, Vector256.Create(0.013)) & Vector256.GreaterThan(v, us));
            var accepted = quick & pending;
            // The exact test only where a pending lane missed the squeeze and was not excluded outright.
            if (VectorRandom.Any(pending & ~quick & ~excluded))
            {
                var kSafe = Vector256.Max(k, Vector256<double>.Zero);
                var full = Vector256.LessThanOrEqual(Vector256.Log(v) + logInvAlpha - Vector256.Log(a / (us * us) + b),
                    -rate + kSafe * logRate - VectorMath.LogFactorial(kSafe));
                accepted |= ~excluded & full & pending;
            }
            result = Vector256.ConditionalSelect(accepted, k, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }
}
