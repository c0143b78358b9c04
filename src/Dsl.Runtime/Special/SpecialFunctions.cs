namespace Dsl.Runtime.Special;

/// <summary>
/// Scalar special functions: the reference each vector kernel is held to, and what scalar code calls. Domains and
/// accuracy (measured on dense grids in the tests): log1p &lt;= 3 ulp, softplus and log-sigmoid &lt;= 4 ulp;
/// lgamma and digamma for x &gt; 0 within 2e-14 of MathNet (relative; absolute near their zeros); erfc within 2e-14
/// relative of MathNet.
/// </summary>
public static class SpecialFunctions
{
    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>log(1 + x), accurate for tiny x: the rounding of 1 + x is corrected to first order.</summary>
    public static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) - (u - 1.0 - x) / u;
    }

    /// <summary>
    /// e^x - 1, accurate for small x: below |x| = 0.01 Kahan's correction divides the rounding of e^x out through its
    /// logarithm; above, e^x - 1 itself loses at most a factor 100 of eps.
    /// </summary>
    public static double Expm1(double x)
    {
        var u = Math.Exp(x);
        if (Math.Abs(x) >= 0.01) return u - 1.0;
        return u == 1.0 ? x : (u - 1.0) * x / Math.Log(u);
    }

    /// <summary>
    /// log(1 - e^z) for z &lt;= 0 (Mächler 2012): log(-expm1(z)) near 0, where 1 - e^z cancels, and log1p(-e^z)
    /// below -log 2, where e^z is small. A complementary log-log link's log p is log1mexp(-exp(eta)).
    /// </summary>
    public static double Log1mExp(double z) => z > -0.69314718055994530942 ? Math.Log(-Expm1(z)) : Log1p(-Math.Exp(z));

    /// <summary>log(1 + e^x) without overflow.</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>log(1 / (1 + e^-x)).</summary>
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>1 / (1 + e^-x).</summary>
    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>log Gamma(x) for x &gt; 0: shift to x &gt;= 8, then Stirling's series to the y^-15 term.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) return double.NaN;
        var shift = 0.0;
        if (x < 8)
        {
            var product = x * (x + 1) * (x + 2) * (x + 3) * (x + 4) * (x + 5) * (x + 6) * (x + 7);
            shift = Math.Log(product);
            x += 8;
        }
        return StirlingLogGamma(x) - shift;
    }

    /// <summary>
    /// Stirling's series for log Gamma(y) - (y - 1/2) log y + y - log sqrt(2 pi), in powers of 1/y^2 after a leading
    /// 1/y: B_2k / (2k (2k - 1)). For y &gt;= 8 the first omitted term is below 1e-16 relative.
    /// </summary>
    internal static readonly double[] StirlingCoefficients =
        [1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156, -3617.0 / 122400];

    /// <summary>The asymptotic series of log y - 1/(2y) - psi(y) in powers of 1/y^2 after a leading 1/y^2: B_2k / (2k).</summary>
    internal static readonly double[] DigammaCoefficients =
        [1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240, 1.0 / 132, -691.0 / 32760, 1.0 / 12];

    internal const double LogSqrtTwoPi = HalfLogTwoPi;

    private static double StirlingLogGamma(double y)
    {
        var r = 1.0 / y;
        return (y - 0.5) * Math.Log(y) - y + HalfLogTwoPi + r * Horner(StirlingCoefficients, r * r);
    }

    /// <summary>Digamma psi(x) for x &gt; 0: recurrence to x &gt;= 8, then the asymptotic series.</summary>
    public static double Digamma(double x)
    {
        if (!(x > 0)) return double.NaN;
        var shift = 0.0;
        if (x < 8)
        {
            for (var k = 0; k < 8; k++) shift += 1.0 / (x + k);
            x += 8;
        }
        return AsymptoticDigamma(x) - shift;
    }

    private static double AsymptoticDigamma(double y)
    {
        var r = 1.0 / y;
        var r2 = r * r;
        return Math.Log(y) - 0.5 * r - r2 * Horner(DigammaCoefficients, r2);
    }

    /// <summary>c[0] + c[1] x + c[2] x^2 + ...</summary>
    private static double Horner(double[] coefficients, double x)
    {
        var result = coefficients[^1];
        for (var k = coefficients.Length - 2; k >= 0; k--) result = result * x + coefficients[k];
        return result;
    }

    /// <summary>
    /// erfc(x) by W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969, 631-638): one rational form
    /// for |x| &lt;= 0.46875, one on (0.46875, 4], one beyond; exp(-x^2) is split so its rounding stays below 1 ulp.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        var y = Math.Abs(x);
        double result;
        if (y <= ErfcCoefficients.SmallLimit)
        {
            var erf = x * ErfcCoefficients.Small(y * y);
            return 1.0 - erf;
        }
        if (y >= 26.6) result = 0;
        else result = ErfcCoefficients.ExpMinusSquare(y) * (y <= 4 ? ErfcCoefficients.Middle(y) : ErfcCoefficients.Large(y));
        return x < 0 ? 2.0 - result : result;
    }

    /// <summary>Standard normal CDF.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * 0.70710678118654752440);

    /// <summary>
    /// log Φ(x), finite however far into the lower tail, where Φ itself underflows below x = −37.5: with y = −x/√2
    /// beyond Cody's last range (y &gt; 4), log Φ(x) = log ½ − y² + log(e^{y²} erfc y), the last factor his scaled
    /// large-argument form; log1p(−Φ(−x)) above zero, so the upper tail keeps its small differences from 0.
    /// </summary>
    public static double LogNormalCdf(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 0) return Log1p(-NormalCdf(-x));
        var y = -x * 0.70710678118654752440;
        if (y <= 4) return Math.Log(NormalCdf(x));
        return -0.69314718055994530942 - y * y + Math.Log(ErfcCoefficients.Large(y));
    }

    /// <summary>
    /// The standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error 1.2e-9), then one Halley
    /// step against <see cref="NormalCdf"/> to full double precision. NaN outside (0, 1).
    /// </summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1)) return p == 0 ? double.NegativeInfinity : p == 1 ? double.PositiveInfinity : double.NaN;
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double x;
        if (p < 0.02425 || p > 1 - 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(Math.Min(p, 1 - p)));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            if (p > 0.5) x = -x;
        }
        else
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        var error = NormalCdf(x) - p;
        var u = error * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }
}
