using Dsl.Runtime.Random;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Polya-Gamma PG(b, z) (Polson, Scott &amp; Windle 2013). PG(1, z) is exact: J*(1, z/2)/4 drawn by Devroye's
/// alternating-series rejection sampler with the truncation point t = 0.64 of Windle's thesis. Integer b up to
/// <see cref="ExactSumLimit"/> sums b exact draws. Larger or fractional b uses the series representation
/// PG(b, z) = (1 / 2 pi^2) sum_k g_k / ((k - 1/2)^2 + z^2 / (4 pi^2)), g_k ~ Gamma(b): the first
/// <see cref="SeriesTerms"/> terms drawn exactly and the remainder as one gamma with its exact mean and variance.
/// </summary>
public static partial class PolyaGamma
{
    public const int ExactSumLimit = 16;
    public const int SeriesTerms = 24;
    internal const double Truncation = 0.64;

    /// <summary>E[PG(b, z)] = b / (2z) tanh(z / 2), b / 4 at z = 0.</summary>
    public static double Mean(double b, double z)
    {
        z = Math.Abs(z);
        return z < 1e-4 ? b * (0.25 - z * z / 48) : b / (2 * z) * Math.Tanh(z / 2);
    }

    /// <summary>Var[PG(b, z)] = b (sinh z - z) / (4 z^3 cosh^2(z / 2)), b / 24 at z = 0 (series below |z| = 1e-2).</summary>
    public static double Variance(double b, double z)
    {
        z = Math.Abs(z);
        if (z < 1e-2)
        {
            var z2 = z * z;
            return b * (1.0 / 24 - z2 / 120 + 17 * z2 * z2 / 13440);
        }
        var cosh = Math.Cosh(z / 2);
        return b * (Math.Sinh(z) - z) / (4 * z * z * z * cosh * cosh);
    }

    /// <summary>One PG(1, z) draw, the scalar reference.</summary>
    public static double SampleOne(double z, ref RandomStream random)
    {
        var half = Math.Abs(z) * 0.5;
        var k = Math.PI * Math.PI / 8 + half * half / 2;
        var rightMass = RightProposalMass(half, k);
        while (true)
        {
            var x = random.NextDouble() < rightMass
                ? Truncation + random.NextExponential() / k
                : TruncatedInverseGaussian(half, ref random);
            if (AcceptBySeries(x, ref random)) return 0.25 * x;
        }
    }

    /// <summary>One PG(b, z) draw (b &gt; 0).</summary>
    public static double Sample(double b, double z, ref RandomStream random)
    {
        if (!(b > 0)) throw new ArgumentOutOfRangeException(nameof(b), b, "PG(b, z) needs b > 0");
        if (b <= ExactSumLimit && b == Math.Floor(b))
        {
            var sum = 0.0;
            for (var i = 0; i < (int)b; i++) sum += SampleOne(z, ref random);
            return sum;
        }
        return SampleBySeries(b, z, ref random);
    }

    /// <summary>
    /// P(proposal from the right piece) = p / (p + q) of the two-piece envelope, with q / p in log space
    /// (Windle's form) so large |z| neither overflows nor loses the tiny left mass.
    /// </summary>
    internal static double RightProposalMass(double half, double k)
    {
        var rootT = Math.Sqrt(1.0 / Truncation);
        var b = rootT * (Truncation * half - 1);
        var a = -rootT * (Truncation * half + 1);
        var x0 = Math.Log(k) + k * Truncation;
        var xb = x0 - half + Math.Log(SpecialFunctions.NormalCdf(b));
        var xa = x0 + half + Math.Log(SpecialFunctions.NormalCdf(a));
        return 1.0 / (1.0 + 4 / Math.PI * (Math.Exp(xb) + Math.Exp(xa)));
    }

    /// <summary>Inverse Gaussian (mean 1/half, shape 1) truncated to (0, t).</summary>
    private static double TruncatedInverseGaussian(double half, ref RandomStream random)
    {
        var mu = 1.0 / half;
        if (mu > Truncation)
        {
            // Small |z|: a 1/chi-square proposal on (0, t), thinned by exp(-z^2 x / 2).
            while (true)
            {
                var e1 = random.NextExponential();
                var e2 = random.NextExponential();
                var u = random.NextDouble();
                if (e1 * e1 > 2 * e2 / Truncation) continue;
                var root = 1 + e1 * Truncation;
                var x = Truncation / (root * root);
                if (u <= Math.Exp(-0.5 * half * half * x)) return x;
            }
        }
        while (true)
        {
            var x = InverseGaussian(mu, ref random);
            if (x < Truncation) return x;
        }
    }

    /// <summary>Inverse Gaussian (mean mu, shape 1) by Michael, Schucany &amp; Haas (1976).</summary>
    private static double InverseGaussian(double mu, ref RandomStream random)
    {
        var n = random.NextNormal();
        var y = n * n;
        var muY = mu * y;
        var x = mu + 0.5 * mu * muY - 0.5 * mu * Math.Sqrt(4 * muY + muY * muY);
        return random.NextDouble() > mu / (mu + x) ? mu * mu / x : x;
    }

    /// <summary>Devroye's alternating series: accept x when a uniform under a_0 is settled by the partial sums.</summary>
    private static bool AcceptBySeries(double x, ref RandomStream random)
    {
        var logX = Math.Log(x);
        var s = Coefficient(0, x, logX);
        var y = random.NextDouble() * s;
        for (var n = 1; ; n++)
        {
            if ((n & 1) == 1)
            {
                s -= Coefficient(n, x, logX);
                if (y <= s) return true;
            }
            else
            {
                s += Coefficient(n, x, logX);
                if (y > s) return false;
            }
        }
    }

    /// <summary>a_n(x) of J*(1): the right form beyond t, the left form (in logs) up to t.</summary>
    internal static double Coefficient(int n, double x, double logX)
    {
        var k = (n + 0.5) * Math.PI;
        return x > Truncation
            ? k * Math.Exp(-0.5 * k * k * x)
            : Math.Exp(-1.5 * (Math.Log(0.5 * Math.PI) + logX) + Math.Log(k) - 2 * (n + 0.5) * (n + 0.5) / x);
    }

    internal static double SampleBySeries(double b, double z, ref RandomStream random)
    {
        var c = z * z / (4 * Math.PI * Math.PI);
        double sum = 0, headMean = 0, headVariance = 0;
        for (var k = 1; k <= SeriesTerms; k++)
        {
            var d = (k - 0.5) * (k - 0.5) + c;
            sum += Gamma.Sample(b, ref random) / d;
            headMean += 1 / d;
            headVariance += 1 / (d * d);
        }
        var scale = 1 / (2 * Math.PI * Math.PI);
        // The tail's exact moments: the full sums are known in closed form through Mean and Variance.
        var tailMean = Mean(b, z) - b * scale * headMean;
        var tailVariance = Variance(b, z) - b * scale * scale * headVariance;
        var tail = tailMean > 0 && tailVariance > 0
            ? Gamma.Sample(tailMean * tailMean / tailVariance, ref random) * (tailVariance / tailMean)
            : 0;
        return scale * sum + tail;
    }
}
