using MathNet.Numerics;

namespace Dsl.Runtime.Tests.Statistics;

/// <summary>Exact PG CDFs for the tests: the b = 1 series, and the PG(b, z) density integrated for general b.</summary>
public static class PolyaGammaCdf
{
    /// <summary>PG(1, z): 1 - F(w) = cosh(z/2) sum_n (-1)^n 4 pi (n + 1/2) / c_n exp(-c_n w), c_n = 2 pi^2 (n + 1/2)^2 + z^2 / 2.</summary>
    public static double One(double z, double w)
    {
        if (w <= 0) return 0;
        double survival = 0;
        for (var n = 0; n < 100_000; n++)
        {
            var h = n + 0.5;
            var c = 2 * Math.PI * Math.PI * h * h + z * z / 2;
            var term = 4 * Math.PI * h / c * Math.Exp(-c * w);
            survival += (n % 2 == 0 ? 1 : -1) * term;
            if (term < 1e-18) break;
        }
        return 1 - Math.Cosh(z / 2) * survival;
    }

    /// <summary>
    /// Density of PG(b, z): cosh^b(z/2) exp(-z^2 x / 2) f(x | b, 0), with f(x | b, 0) =
    /// 2^(b-1) / Gamma(b) sum_n (-1)^n Gamma(n + b) / Gamma(n + 1) (2n + b) / sqrt(2 pi x^3) exp(-(2n + b)^2 / (8x)).
    /// </summary>
    public static double Density(double b, double z, double x)
    {
        if (x <= 0) return 0;
        double sum = 0;
        for (var n = 0; n < 2000; n++)
        {
            var logTerm = SpecialFunctions.GammaLn(n + b) - SpecialFunctions.GammaLn(n + 1) + Math.Log(2 * n + b)
                - (2 * n + b) * (2 * n + b) / (8 * x);
            var term = Math.Exp(logTerm);
            sum += (n % 2 == 0 ? 1 : -1) * term;
            if (n > 5 && term < 1e-18 * Math.Abs(sum)) break;
        }
        var logScale = (b - 1) * Math.Log(2) - SpecialFunctions.GammaLn(b) - 0.5 * Math.Log(2 * Math.PI * x * x * x)
            + b * Math.Log(Math.Cosh(z / 2)) - z * z * x / 2;
        return Math.Exp(logScale) * sum;
    }

    public static double General(double b, double z, double w) =>
        w <= 0 ? 0 : Integrate.GaussKronrod(x => Density(b, z, x), 0, w, 1e-13, 20, 61);
}
