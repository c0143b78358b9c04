using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Runtime.Special;

/// <summary>
/// The three rational forms of Cody's erfc, shared by the scalar and vector paths (each as a scalar and a Vector256
/// evaluation of the same coefficients). Coefficients from W. J. Cody, Math. Comp. 23 (1969), as in netlib specfun.
/// </summary>
internal static class ErfcCoefficients
{
    public const double SmallLimit = 0.46875;
    private const double InverseSqrtPi = 0.56418958354775628695;

    // erf(x) = x * A(x^2) / B(x^2) for |x| <= 0.46875
    private static readonly double[] a = { 3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1 };
    private static readonly double[] b = { 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03 };
    // erfc(x) = exp(-x^2) * C(x) / D(x) on (0.46875, 4]
    private static readonly double[] c = { 5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8 };
    private static readonly double[] d = { 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03 };
    // erfc(x) = exp(-x^2) / x * (1/sqrt(pi) - P(1/x^2) / (x^2 Q(1/x^2))) beyond 4
    private static readonly double[] p = { 3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2 };
    private static readonly double[] q = { 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3 };

    /// <summary>erf(x) / x as a function of x^2, |x| &lt;= 0.46875.</summary>
    public static double Small(double ysq)
    {
        double num = a[4] * ysq, den = ysq;
        for (var i = 0; i < 3; i++) { num = (num + a[i]) * ysq; den = (den + b[i]) * ysq; }
        return (num + a[3]) / (den + b[3]);
    }

    public static double Middle(double y)
    {
        double num = c[8] * y, den = y;
        for (var i = 0; i < 7; i++) { num = (num + c[i]) * y; den = (den + d[i]) * y; }
        return (num + c[7]) / (den + d[7]);
    }

    public static double Large(double y)
    {
        var ysq = 1.0 / (y * y);
        double num = p[5] * ysq, den = ysq;
        for (var i = 0; i < 4; i++) { num = (num + p[i]) * ysq; den = (den + q[i]) * ysq; }
        return (InverseSqrtPi - ysq * (num + p[4]) / (den + q[4])) / y;
    }

    /// <summary>exp(-y^2) with y^2 split at a multiple of 1/16, so the product is exact to rounding.</summary>
    public static double ExpMinusSquare(double y)
    {
        var head = Math.Truncate(y * 16) / 16;
        return Math.Exp(-head * head) * Math.Exp(-(y - head) * (y + head));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Small(Vector256<double> ysq)
    {
        var num = Vector256.Create(a[4]) * ysq;
        var den = ysq;
        for (var i = 0; i < 3; i++) { num = (num + Vector256.Create(a[i])) * ysq; den = (den + Vector256.Create(b[i])) * ysq; }
        return (num + Vector256.Create(a[3])) / (den + Vector256.Create(b[3]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Middle(Vector256<double> y)
    {
        var num = Vector256.Create(c[8]) * y;
        var den = y;
        for (var i = 0; i < 7; i++) { num = (num + Vector256.Create(c[i])) * y; den = (den + Vector256.Create(d[i])) * y; }
        return (num + Vector256.Create(c[7])) / (den + Vector256.Create(d[7]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Large(Vector256<double> y)
    {
        var ysq = Vector256<double>.One / (y * y);
        var num = Vector256.Create(p[5]) * ysq;
        var den = ysq;
        for (var i = 0; i < 4; i++) { num = (num + Vector256.Create(p[i])) * ysq; den = (den + Vector256.Create(q[i])) * ysq; }
        return (Vector256.Create(InverseSqrtPi) - ysq * (num + Vector256.Create(p[4])) / (den + Vector256.Create(q[4]))) / y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpMinusSquare(Vector256<double> y)
    {
        var head = Vector256.Truncate(y * Vector256.Create(16.0)) * Vector256.Create(1.0 / 16);
        return Vector256.Exp(-head * head) * Vector256.Exp(-(y - head) * (y + head));
    }
}
