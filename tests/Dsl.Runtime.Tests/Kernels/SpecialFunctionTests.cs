using System.Runtime.Intrinsics;
using Dsl.Runtime.Special;


namespace Dsl.Runtime.Tests.Kernels;

/// <summary>
/// Maximum errors on dense grids, scalar and vector paths alike, against MathNet.Numerics (lgamma, digamma, erfc) or a
/// decimal-precision reference (log1p and what is built on it). The bounds asserted here are the ones documented in
/// SpecialFunctions and README.md.
/// </summary>
public sealed class SpecialFunctionTests
{
    /// <summary>Points from 1e-300 to 1e300 on a log grid, plus dense linear grids where functions turn.</summary>
    private static double[] PositiveGrid()
    {
        var points = new List<double>();
        for (var e = -300.0; e <= 300; e += 0.0371) points.Add(Math.Pow(10, e));
        for (var x = 0.001; x < 30; x += 0.000731) points.Add(x);
        return points.ToArray();
    }

    private static double[] SignedGrid()
    {
        var positive = PositiveGrid().Where(x => x < 800).ToArray();
        return positive.Concat(positive.Select(x => -x)).Append(0).ToArray();
    }

    private static double RelativeError(double actual, double expected) =>
        expected == actual ? 0 : Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), double.Epsilon);

    private static double Ulps(double actual, double expected) =>
        Math.Abs(actual - expected) / Math.Max(Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected), double.Epsilon);

    /// <summary>log1p in decimal arithmetic (28 digits): 2 atanh(x / (2 + x)) by its series, for |x| &lt; 0.5.</summary>
    private static double ReferenceLog1p(double x)
    {
        if (Math.Abs(x) >= 0.5) return Math.Log(1 + x); // 1 + x loses nothing that matters here
        // decimal keeps 28 digits after the point, too few for tiny x; there three series terms are exact enough.
        if (Math.Abs(x) < 1e-9) return x - x * x / 2 + x * x * x / 3;
        // (decimal)x would round to 15 digits; parsing the round-trip text keeps all 17.
        var exact = decimal.Parse(x.ToString("R"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        var y = exact / (2 + exact);
        decimal y2 = y * y, term = y, sum = y;
        for (var k = 1; k < 200 && Math.Abs(term) > 1e-40m; k++)
        {
            term *= y2;
            sum += term / (2 * k + 1);
        }
        return (double)(2 * sum);
    }

    private static double ReferenceSoftplus(double x) => Math.Max(x, 0) + ReferenceLog1p(Math.Exp(-Math.Abs(x)));

    private static void CheckBoth(string name, Func<double, double> scalar, Func<Vector256<double>, Vector256<double>> vector,
        double[] grid, Func<double, double> reference, Func<double, double, double> error, double bound)
    {
        double worstScalar = 0, worstVector = 0, atScalar = 0, atVector = 0;
        for (var i = 0; i + 4 <= grid.Length; i += 4)
        {
            var lanes = vector(Vector256.Create(grid.AsSpan(i)));
            for (var k = 0; k < 4; k++)
            {
                var x = grid[i + k];
                var expected = reference(x);
                var s = error(scalar(x), expected);
                var v = error(lanes[k], expected);
                if (s > worstScalar) (worstScalar, atScalar) = (s, x);
                if (v > worstVector) (worstVector, atVector) = (v, x);
            }
        }
        Assert.True(worstScalar <= bound, $"{name} scalar: error {worstScalar:G3} at x = {atScalar:R} (bound {bound:G3})");
        Assert.True(worstVector <= bound, $"{name} vector: error {worstVector:G3} at x = {atVector:R} (bound {bound:G3})");
    }

    /// <summary>
    /// log(1 - e^z) where the direct form fails: near 0 (1 - e^z cancels) and far below (1 - e^z rounds to 1, but the
    /// answer -e^z is representable). References from the series log(-z) + z/2 + z^2/24 near 0 and -e^z - e^2z/2 below.
    /// </summary>
    [Theory]
    [InlineData(-1e-10)]
    [InlineData(-1e-4)]
    [InlineData(-0.5)]
    [InlineData(-1.0)]
    [InlineData(-40.0)]
    [InlineData(-700.0)]
    public void Log1mExp_IsAccurateWhereTheDirectFormIsNot(double z)
    {
        var reference = z > -1e-3 ? Math.Log(-z) + z / 2 + z * z / 24 : z < -30 ? -Math.Exp(z) - Math.Exp(2 * z) / 2 : Math.Log(1 - Math.Exp(z));
        // Within 1e-14 relative: a few ulp of the result (the series' first dropped terms are below 1e-20 at these z).
        Assert.True(Math.Abs(SpecialFunctions.Log1mExp(z) - reference) <= 1e-14 * Math.Abs(reference), $"z = {z}: {SpecialFunctions.Log1mExp(z):R} against {reference:R}");
        // expm1 against its series to z^4 near 0 (the next term is below 1e-21 relative there).
        var expm1 = z > -1e-3 ? z + z * z / 2 + z * z * z / 6 + z * z * z * z / 24 : Math.Exp(z) - 1;
        Assert.True(Math.Abs(SpecialFunctions.Expm1(z) - expm1) <= 1e-14 * Math.Abs(expm1), $"expm1({z}) = {SpecialFunctions.Expm1(z):R} against {expm1:R}");
    }

    /// <summary>
    /// log Φ against SciPy 1.10's special.log_ndtr, in both tails and across the switch to erfc's scaled form (x =
    /// −4√2 ≈ −5.66) and past Φ's underflow (−37.5). Relative 1e-13: the erfc ranges are good to about 1e-15, and
    /// log Φ's relative error is at most log(Φ)'s rounding plus Φ's.
    /// </summary>
    [Theory]
    [InlineData(-60.0, -1805.0135606805675)]
    [InlineData(-40.0, -804.6084420137539)]
    [InlineData(-37.6, -711.4266486707764)]
    [InlineData(-20.0, -203.9171553710973)]
    [InlineData(-5.7, -18.933112423224742)]
    [InlineData(-5.6, -18.351379495909335)]
    [InlineData(-3.0, -6.60772622151035)]
    [InlineData(-0.5, -1.175911761593619)]
    [InlineData(0.0, -0.6931471805599453)]
    [InlineData(0.5, -0.3689464152886563)]
    [InlineData(3.0, -0.001350809964748193)]
    [InlineData(9.0, -1.1285884059538324e-19)]
    [InlineData(12.0, -1.7764821120776534e-33)]
    public void LogNormalCdf_IsAccurateInBothTails(double x, double expected) =>
        Assert.True(Math.Abs(SpecialFunctions.LogNormalCdf(x) / expected - 1) < 1e-13, $"log Phi({x}) = {SpecialFunctions.LogNormalCdf(x)}, expected {expected}");

    [Fact]
    public void ExpAndLog_WithinTwoUlpsOfTheScalarLibrary()
    {
        CheckBoth("exp", Math.Exp, VectorMath.Exp, SignedGrid(), Math.Exp, Ulps, 2.0);
        CheckBoth("log", Math.Log, VectorMath.Log, PositiveGrid(), Math.Log, Ulps, 2.0);
    }

    [Fact]
    public void Log1p_WithinThreeUlps()
    {
        var grid = SignedGrid().Where(x => x > -1).ToArray();
        CheckBoth("log1p", SpecialFunctions.Log1p, VectorMath.Log1p, grid, ReferenceLog1p, Ulps, 3.0);
    }

    [Fact]
    public void SoftplusAndLogSigmoid_WithinFourUlps()
    {
        CheckBoth("softplus", SpecialFunctions.Softplus, VectorMath.Softplus, SignedGrid(), ReferenceSoftplus, Ulps, 4.0);
        CheckBoth("log-sigmoid", SpecialFunctions.LogSigmoid, VectorMath.LogSigmoid, SignedGrid(), x => -ReferenceSoftplus(-x), Ulps, 4.0);
    }

    [Fact]
    public void LogGamma_AgreesWithMathNet()
    {
        // Relative error where |lgamma| > 0.5; absolute near the zeros at 1 and 2.
        static double Error(double actual, double expected) =>
            Math.Abs(expected) > 0.5 ? RelativeError(actual, expected) : Math.Abs(actual - expected);
        var grid = PositiveGrid().Where(x => x < 1e300).ToArray();
        CheckBoth("lgamma", SpecialFunctions.LogGamma, VectorMath.LogGamma, grid, SpecialFunctions_GammaLn, Error, 2e-14);
    }

    [Fact]
    public void LogFactorial_TableAndFallback_AgreeWithMathNet()
    {
        // Whole k below 1024 come from the table; a lane past it, a fraction or a negative sends the vector to lgamma.
        double[][] lanes = [[0, 1, 2, 3], [7, 170, 1022, 1023], [1023, 1024, 5, 2e6], [2.5, 3, 4, 5], [-1, 1, 2, 3]];
        foreach (var k in lanes)
        {
            var result = VectorMath.LogFactorial(Vector256.Create(k));
            for (var lane = 0; lane < 4; lane++)
            {
                if (k[lane] < 0)
                {
                    Assert.True(double.IsNaN(result[lane]), $"log({k[lane]})! should be NaN");
                    continue;
                }
                var expected = MathNet.Numerics.SpecialFunctions.GammaLn(k[lane] + 1);
                Assert.Equal(expected, result[lane], 2e-14 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void Digamma_AgreesWithMathNet()
    {
        static double Error(double actual, double expected) =>
            Math.Abs(expected) > 0.5 ? RelativeError(actual, expected) : Math.Abs(actual - expected);
        var grid = PositiveGrid().Where(x => x > 1e-150).ToArray(); // MathNet's digamma loses accuracy below
        CheckBoth("digamma", SpecialFunctions.Digamma, VectorMath.Digamma, grid, MathNet.Numerics.SpecialFunctions.DiGamma, Error, 2e-14);
    }

    [Fact]
    public void Erfc_AgreesWithMathNet()
    {
        var grid = Enumerable.Range(0, 20000).Select(i => -6 + i * 0.0007).Append(-1e-300).Append(0).ToArray();
        CheckBoth("erfc", SpecialFunctions.Erfc, VectorMath.Erfc, grid, MathNet.Numerics.SpecialFunctions.Erfc, RelativeError, 2e-14);
        // Far in the tail the reference itself rounds x^2 inside exp(-x^2): about x^2 * 1.1e-16 relative.
        var tail = Enumerable.Range(0, 26000).Select(i => 8 + i * 0.0007).ToArray();
        CheckBoth("erfc tail", SpecialFunctions.Erfc, VectorMath.Erfc, tail, MathNet.Numerics.SpecialFunctions.Erfc, RelativeError, 27 * 27 * 1.2e-16);
    }

    [Fact]
    public void FloatLanes_AreTheDoubleResultsRounded()
    {
        var x = Vector256.Create(0.01f, 0.5f, 1f, 2.5f, 7.9f, 8f, 100f, 1e6f);
        var lgamma = VectorMath.LogGamma(x);
        var digamma = VectorMath.Digamma(x);
        for (var k = 0; k < 8; k++)
        {
            Assert.Equal((float)SpecialFunctions.LogGamma(x[k]), lgamma[k], 1e-6f * Math.Max(1f, Math.Abs(lgamma[k])));
            Assert.Equal((float)SpecialFunctions.Digamma(x[k]), digamma[k], 1e-6f * Math.Max(1f, Math.Abs(digamma[k])));
        }
    }

    [Fact]
    public void Apply_CoversSpansWithATail()
    {
        var x = Enumerable.Range(1, 11).Select(i => i * 0.7).ToArray();
        var result = new double[11];

        unsafe { VectorMath.Apply(&VectorMath.LogGamma, x, result); }

        for (var i = 0; i < x.Length; i++) Assert.Equal(SpecialFunctions.LogGamma(x[i]), result[i], 1e-14);
    }

    private static double SpecialFunctions_GammaLn(double x) => MathNet.Numerics.SpecialFunctions.GammaLn(x);
}
