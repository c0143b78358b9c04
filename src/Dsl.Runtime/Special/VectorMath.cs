using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Runtime.Special;

/// <summary>
/// Vector256 special functions, the same algorithms as <see cref="SpecialFunctions"/> lane by lane (branches become
/// blends). exp and log are the BCL's Vector256.Exp/Log. Float overloads widen to double lanes, so float results
/// are correctly rounded from the double ones. Span overloads process whole arrays.
/// </summary>
public static unsafe class VectorMath
{
    private static readonly Vector256<double> one = Vector256<double>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => Vector256.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x) => Vector256.Log(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log1p(Vector256<double> x)
    {
        var u = one + x;
        var corrected = Vector256.Log(u) - (u - one - x) / u;
        return Vector256.ConditionalSelect(Vector256.Equals(u, one), x, corrected);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Softplus(Vector256<double> x) =>
        Vector256.Max(x, Vector256<double>.Zero) + Log1p(Vector256.Exp(-Vector256.Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogSigmoid(Vector256<double> x) => -Softplus(-x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Logistic(Vector256<double> x) => one / (one + Vector256.Exp(-x));

    /// <summary>log Gamma(x), x &gt; 0 (NaN elsewhere).</summary>
    public static Vector256<double> LogGamma(Vector256<double> x)
    {
        var small = Vector256.LessThan(x, Vector256.Create(8.0));
        var shift = Vector256<double>.Zero;
        // The recurrence shift (a product and a log) only when some lane needs it.
        if (small.ExtractMostSignificantBits() != 0)
        {
            var product = x * (x + one) * (x + Vector256.Create(2.0)) * (x + Vector256.Create(3.0))
                * (x + Vector256.Create(4.0)) * (x + Vector256.Create(5.0)) * (x + Vector256.Create(6.0)) * (x + Vector256.Create(7.0));
            shift = Vector256.ConditionalSelect(small, Vector256.Log(product), Vector256<double>.Zero);
        }
        var y = Vector256.ConditionalSelect(small, x + Vector256.Create(8.0), x);
        var r = one / y;
        var r2 = r * r;
        var series = r * Polynomial(r2, SpecialFunctions.StirlingCoefficients);
        var result = (y - Vector256.Create(0.5)) * Vector256.Log(y) - y + Vector256.Create(SpecialFunctions.LogSqrtTwoPi) + series - shift;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), result, Vector256.Create(double.NaN));
    }

    /// <summary>log k! for k below this are read from a table.</summary>
    public const int LogFactorialTableSize = 1024;

    private static readonly double[] logFactorials =
        [.. Enumerable.Range(0, LogFactorialTableSize).Select(k => SpecialFunctions.LogGamma(k + 1.0))];

    /// <summary>
    /// log k! = log Gamma(k + 1), k &gt;= 0: four table reads when every lane is whole and below the table's end
    /// (counts, trial numbers), else <see cref="LogGamma(Vector256{double})"/>.
    /// </summary>
    public static Vector256<double> LogFactorial(Vector256<double> k)
    {
        if (!Vector256.LessThanAll(k, Vector256.Create((double)LogFactorialTableSize)) || !Vector256.EqualsAll(k, Vector256.Floor(k))
            || !Vector256.GreaterThanOrEqualAll(k, Vector256<double>.Zero))
            return LogGamma(k + one);
        var table = logFactorials;
        return Vector256.Create(table[(int)k[0]], table[(int)k[1]], table[(int)k[2]], table[(int)k[3]]);
    }

    /// <summary>Digamma psi(x), x &gt; 0 (NaN elsewhere).</summary>
    public static Vector256<double> Digamma(Vector256<double> x)
    {
        var small = Vector256.LessThan(x, Vector256.Create(8.0));
        var sum = one / x + one / (x + one) + one / (x + Vector256.Create(2.0)) + one / (x + Vector256.Create(3.0))
            + one / (x + Vector256.Create(4.0)) + one / (x + Vector256.Create(5.0)) + one / (x + Vector256.Create(6.0)) + one / (x + Vector256.Create(7.0));
        var shift = Vector256.ConditionalSelect(small, sum, Vector256<double>.Zero);
        var y = Vector256.ConditionalSelect(small, x + Vector256.Create(8.0), x);
        var r = one / y;
        var r2 = r * r;
        var series = r2 * Polynomial(r2, SpecialFunctions.DigammaCoefficients);
        var result = Vector256.Log(y) - Vector256.Create(0.5) * r - series - shift;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), result, Vector256.Create(double.NaN));
    }

    /// <summary>erfc(x): Cody's three rational forms evaluated for every lane and blended.</summary>
    public static Vector256<double> Erfc(Vector256<double> x)
    {
        var y = Vector256.Abs(x);
        var small = Vector256.LessThanOrEqual(y, Vector256.Create(ErfcCoefficients.SmallLimit));
        var smallResult = one - x * ErfcCoefficients.Small(y * y);
        var tail = ErfcCoefficients.ExpMinusSquare(Vector256.Min(y, Vector256.Create(26.6)))
            * Vector256.ConditionalSelect(Vector256.LessThanOrEqual(y, Vector256.Create(4.0)),
                ErfcCoefficients.Middle(y), ErfcCoefficients.Large(Vector256.Max(y, Vector256.Create(4.0))));
        tail = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(y, Vector256.Create(26.6)), Vector256<double>.Zero, tail);
        tail = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(2.0) - tail, tail);
        return Vector256.ConditionalSelect(small, smallResult, tail);
    }

    /// <summary>Standard normal CDF.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> NormalCdf(Vector256<double> x) => Vector256.Create(0.5) * Erfc(x * Vector256.Create(-0.70710678118654752440));

    // Float lanes: widen to two double vectors, apply, narrow.
    public static Vector256<float> Exp(Vector256<float> x) => Widened(x, &Exp);
    public static Vector256<float> Log(Vector256<float> x) => Widened(x, &Log);
    public static Vector256<float> Log1p(Vector256<float> x) => Widened(x, &Log1p);
    public static Vector256<float> Softplus(Vector256<float> x) => Widened(x, &Softplus);
    public static Vector256<float> LogSigmoid(Vector256<float> x) => Widened(x, &LogSigmoid);
    public static Vector256<float> LogGamma(Vector256<float> x) => Widened(x, &LogGamma);
    public static Vector256<float> Digamma(Vector256<float> x) => Widened(x, &Digamma);

    /// <summary>Applies a vector function to a whole span (a scalar tail runs through a padded vector).</summary>
    public static void Apply(delegate*<Vector256<double>, Vector256<double>> function, ReadOnlySpan<double> x, Span<double> result)
    {
        if (result.Length < x.Length) throw new ArgumentException("result is shorter than x", nameof(result));
        var i = 0;
        for (; i + 4 <= x.Length; i += 4)
            function(Vector256.Create(x[i..])).CopyTo(result[i..]);
        if (i == x.Length) return;
        Span<double> tail = stackalloc double[4];
        tail.Fill(1.0);
        x[i..].CopyTo(tail);
        function(Vector256.Create<double>(tail)).CopyTo(tail);
        tail[..(x.Length - i)].CopyTo(result[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Polynomial(Vector256<double> x, ReadOnlySpan<double> coefficients)
    {
        var result = Vector256.Create(coefficients[^1]);
        for (var k = coefficients.Length - 2; k >= 0; k--)
            result = Vector256.FusedMultiplyAdd(result, x, Vector256.Create(coefficients[k]));
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widened(Vector256<float> x, delegate*<Vector256<double>, Vector256<double>> function)
    {
        var (low, high) = Vector256.Widen(x);
        return Vector256.Narrow(function(low), function(high));
    }
}
