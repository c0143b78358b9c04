using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Gamma(shape, rate = 1) by Marsaglia &amp; Tsang (2000); shapes below 1 draw Gamma(shape + 1) and multiply by
/// U^(1/shape). <see cref="SampleLog(double, ref RandomStream)"/> keeps that boost in log space, for callers (Beta,
/// Dirichlet) that must not lose tiny shapes' draws to underflow.
/// </summary>
public static class Gamma
{
    public static double Sample(double shape, ref RandomStream random)
    {
        if (shape >= 1) return MarsagliaTsang(shape, ref random);
        var boost = Math.Log(random.NextDouble()) / shape;
        return MarsagliaTsang(shape + 1, ref random) * Math.Exp(boost);
    }

    /// <summary>log of a Gamma(shape, 1) draw: finite even where the draw itself underflows.</summary>
    public static double SampleLog(double shape, ref RandomStream random)
    {
        if (shape >= 1) return Math.Log(MarsagliaTsang(shape, ref random));
        var boost = Math.Log(random.NextDouble()) / shape;
        return Math.Log(MarsagliaTsang(shape + 1, ref random)) + boost;
    }

    /// <summary>Marsaglia-Tsang for shape &gt;= 1, the scalar reference of the vector path below.</summary>
    private static double MarsagliaTsang(double shape, ref RandomStream random)
    {
        var d = shape - 1.0 / 3;
        var c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            var x = random.NextNormal();
            var v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>Gamma(shape[i], 1) for every i.</summary>
    public static void Sample(ReadOnlySpan<double> shape, Span<double> destination, ref RandomStream random)
    {
        var i = 0;
        for (; i + 4 <= shape.Length; i += 4)
            Sample(Vector256.Create(shape[i..]), ref random).CopyTo(destination[i..]);
        for (; i < shape.Length; i++) destination[i] = Sample(shape[i], ref random);
    }

    /// <summary>
    /// Four Gamma(shape, 1) draws in linear space: shapes below 1 multiply a Gamma(shape + 1) draw by
    /// exp(log(u) / shape), which underflows only where the true draw is below the smallest double anyway.
    /// </summary>
    public static Vector256<double> Sample(Vector256<double> shape, ref RandomStream random)
    {
        var one = Vector256<double>.One;
        var small = Vector256.LessThan(shape, one);
        if (!VectorRandom.Any(small)) return MarsagliaTsang(shape, ref random);
        var boost = Vector256.ConditionalSelect(small, Vector256.Log(random.NextDoubleVector()) / shape, Vector256<double>.Zero);
        return MarsagliaTsang(Vector256.ConditionalSelect(small, shape + one, shape), ref random) * Vector256.Exp(boost);
    }

    /// <summary>Four lanes of log Gamma(shape, 1): the same method, each lane retrying until it accepts.</summary>
    public static Vector256<double> SampleLog(Vector256<double> shape, ref RandomStream random)
    {
        var one = Vector256<double>.One;
        var small = Vector256.LessThan(shape, one);
        var boost = Vector256.ConditionalSelect(small, Vector256.Log(random.NextDoubleVector()) / shape, Vector256<double>.Zero);
        return Vector256.Log(MarsagliaTsang(Vector256.ConditionalSelect(small, shape + one, shape), ref random)) + boost;
    }

    /// <summary>
    /// Marsaglia-Tsang for shapes &gt;= 1 in four lanes. The squeeze u &lt; 1 - 0.0331 x^4 accepts most proposals
    /// without logarithms, so the logs are computed only when some pending lane fails it; Box-Muller's two
    /// normals feed two iterations.
    /// </summary>
    private static Vector256<double> MarsagliaTsang(Vector256<double> shape, ref RandomStream random)
    {
        var one = Vector256<double>.One;
        var d = shape - Vector256.Create(1.0 / 3);
        var c = one / Vector256.Sqrt(Vector256.Create(9.0) * d);
        var result = Vector256<double>.Zero;
        var pending = Vector256<double>.AllBitsSet;
        var spare = Vector256<double>.Zero;
        var haveSpare = false;
        while (VectorRandom.Any(pending))
        {
            Vector256<double> x;
            if (haveSpare)
            {
                x = spare;
                haveSpare = false;
            }
            else
            {
                var radius = Vector256.Sqrt(Vector256.Create(-2.0) * Vector256.Log(random.NextDoubleVector()));
                var (sin, cos) = Vector256.SinCos(Vector256.Create(2.0 * Math.PI) * random.NextDoubleVector());
                x = radius * cos;
                spare = radius * sin;
                haveSpare = true;
            }
            var v = one + c * x;
            var positive = Vector256.GreaterThan(v, Vector256<double>.Zero);
            v = v * v * v;
            var u = random.NextDoubleVector();
            var x2 = x * x;
            var accept = positive & Vector256.LessThan(u, one - Vector256.Create(0.0331) * x2 * x2);
            var undecided = positive & pending & ~accept;
            if (VectorRandom.Any(undecided))
            {
                var full = Vector256.LessThan(Vector256.Log(u),
                    Vector256.Create(0.5) * x2 + d - d * v + d * Vector256.Log(Vector256.Max(v, Vector256.Create(1e-300))));
                accept |= positive & full;
            }
            var now = accept & pending;
            result = Vector256.ConditionalSelect(now, d * v, result);
            pending = Vector256.AndNot(pending, accept);
        }
        return result;
    }
}
