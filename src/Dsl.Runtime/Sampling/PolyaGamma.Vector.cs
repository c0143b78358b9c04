using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// The Vector256 path of PG: four z at a time through the same envelope and series. Each rejection step is a masked
/// loop: lanes that accept keep their value while the others retry, so a rejection in one lane never sends the
/// whole vector back to scalar code. Nested rejections (pair, then thinning) are fused into one masked loop, which
/// has the same distribution.
/// </summary>
public static partial class PolyaGamma
{
    private static readonly Vector256<double> truncationV = Vector256.Create(Truncation);

    /// <summary>PG(1, z[i]) for every i.</summary>
    public static void SampleOne(ReadOnlySpan<double> z, Span<double> destination, ref RandomStream random)
    {
        if (destination.Length < z.Length) throw new ArgumentException("destination is shorter than z", nameof(destination));
        var i = 0;
        for (; i + 4 <= z.Length; i += 4)
            SampleOne(Vector256.Create(z[i..]), ref random).CopyTo(destination[i..]);
        for (; i < z.Length; i++) destination[i] = SampleOne(z[i], ref random);
    }

    /// <summary>PG(b[i], z[i]) for every i.</summary>
    public static void Sample(ReadOnlySpan<double> b, ReadOnlySpan<double> z, Span<double> destination, ref RandomStream random)
    {
        if (b.Length != z.Length || destination.Length < z.Length) throw new ArgumentException("b, z and destination must have one length");
        var i = 0;
        for (; i + 4 <= z.Length; i += 4)
        {
            var bv = Vector256.Create(b[i..]);
            var integral = Vector256.Equals(bv, Vector256.Floor(bv)) & Vector256.LessThanOrEqual(bv, Vector256.Create((double)ExactSumLimit))
                & Vector256.GreaterThan(bv, Vector256<double>.Zero);
            if (integral.ExtractMostSignificantBits() != 0b1111)
            {
                var positive = Vector256.GreaterThan(bv, Vector256<double>.Zero).ExtractMostSignificantBits() == 0b1111;
                if (integral.ExtractMostSignificantBits() == 0 && positive)
                {
                    SampleBySeries(bv, Vector256.Create(z[i..]), ref random).CopyTo(destination[i..]);
                    continue;
                }
                for (var k = i; k < i + 4; k++) destination[k] = Sample(b[k], z[k], ref random);
                continue;
            }
            // Sum b exact draws lane by lane: lane j adds draws while r < b[j].
            var zv = Vector256.Create(z[i..]);
            var sum = Vector256<double>.Zero;
            var most = (int)Math.Max(Math.Max(bv[0], bv[1]), Math.Max(bv[2], bv[3]));
            for (var r = 0; r < most; r++)
                sum += Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Create((double)r), bv), SampleOne(zv, ref random), Vector256<double>.Zero);
            sum.CopyTo(destination[i..]);
        }
        for (; i < z.Length; i++) destination[i] = Sample(b[i], z[i], ref random);
    }

    /// <summary>The series method of <see cref="SampleBySeries(double, double, ref RandomStream)"/> in four lanes.</summary>
    private static Vector256<double> SampleBySeries(Vector256<double> b, Vector256<double> z, ref RandomStream random)
    {
        var c = z * z * Vector256.Create(1 / (4 * Math.PI * Math.PI));
        var sum = Vector256<double>.Zero;
        var headMean = Vector256<double>.Zero;
        var headVariance = Vector256<double>.Zero;
        for (var k = 1; k <= SeriesTerms; k++)
        {
            var d = Vector256.Create((k - 0.5) * (k - 0.5)) + c;
            var inverse = Vector256<double>.One / d;
            sum += Gamma.Sample(b, ref random) * inverse;
            headMean += inverse;
            headVariance += inverse * inverse;
        }
        var scale = 1 / (2 * Math.PI * Math.PI);
        Span<double> tailShape = stackalloc double[4];
        Span<double> tailScale = stackalloc double[4];
        for (var lane = 0; lane < 4; lane++)
        {
            var tailMean = Mean(b[lane], z[lane]) - b[lane] * scale * headMean[lane];
            var tailVariance = Variance(b[lane], z[lane]) - b[lane] * scale * scale * headVariance[lane];
            var valid = tailMean > 0 && tailVariance > 0;
            tailShape[lane] = valid ? tailMean * tailMean / tailVariance : 1;
            tailScale[lane] = valid ? tailVariance / tailMean : 0;
        }
        var tail = Gamma.Sample(Vector256.Create<double>(tailShape), ref random) * Vector256.Create<double>(tailScale);
        return Vector256.Create(scale) * sum + tail;
    }

    /// <summary>Four PG(1, z) draws.</summary>
    public static Vector256<double> SampleOne(Vector256<double> z, ref RandomStream random)
    {
        var half = Vector256.Abs(z) * Vector256.Create(0.5);
        var k = Vector256.Create(Math.PI * Math.PI / 8) + half * half * Vector256.Create(0.5);
        var rightMass = RightProposalMass(half, k);
        var result = Vector256<double>.Zero;
        var pending = Vector256<double>.AllBitsSet;
        while (VectorRandom.Any(pending))
        {
            // One uniform picks the envelope piece and, rescaled within the piece it picked, is again uniform:
            // it becomes the exponential of the right piece or the first exponential of the left piece.
            var u = random.NextDoubleVector();
            var right = Vector256.LessThan(u, rightMass);
            var rescaled = Vector256.ConditionalSelect(right, u / rightMass, (u - rightMass) / (Vector256<double>.One - rightMass));
            var exponential = -Vector256.Log(Vector256.Max(rescaled, Vector256.Create(double.Epsilon)));
            var xRight = truncationV + exponential / k;
            var needLeft = Vector256.AndNot(pending, right);
            var x = VectorRandom.Any(needLeft)
                ? Vector256.ConditionalSelect(right, xRight, TruncatedInverseGaussian(half, needLeft, exponential, ref random))
                : xRight;
            var accepted = AcceptBySeries(x, ref random) & pending;
            result = Vector256.ConditionalSelect(accepted, Vector256.Create(0.25) * x, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }

    /// <summary>
    /// p / (p + q) with q / p = (2 / pi) k [e^(kt - h) erfc(yb) + e^(kt + h) erfc(ya)], yb = (1 - t h) / sqrt(2t),
    /// ya = (1 + t h) / sqrt(2t). Each erfc is written as exp(-y^2) times Cody's rational (or 1 - y S(y^2) near 0),
    /// so each term is one exp of a combined exponent: no overflow, and two exps where the plain form needs six.
    /// Only the rational forms some lane needs are evaluated.
    /// </summary>
    private static Vector256<double> RightProposalMass(Vector256<double> half, Vector256<double> k)
    {
        var one = Vector256<double>.One;
        var rootHalfT = Vector256.Create(Math.Sqrt(0.5 / Truncation));
        var yb = (one - truncationV * half) * rootHalfT;
        var ya = (one + truncationV * half) * rootHalfT;
        var kt = k * truncationV;

        // erfc(yb): near zero 1 - yb S(yb^2); positive beyond, exp(-yb^2) R(yb); negative beyond, 2 - exp(-yb^2) R(|yb|).
        var absB = Vector256.Abs(yb);
        var nearZero = Vector256.LessThanOrEqual(absB, Vector256.Create(ErfcCoefficients.SmallLimit));
        var tailB = TailRational(Vector256.Max(absB, Vector256.Create(ErfcCoefficients.SmallLimit)), ~nearZero);
        var termB = Vector256<double>.Zero;
        var positiveTail = ~nearZero & Vector256.GreaterThan(yb, Vector256<double>.Zero);
        var negativeTail = ~nearZero & ~positiveTail;
        var exponentB = Vector256.ConditionalSelect(positiveTail, kt - half - yb * yb, kt - half);
        var factorB = Vector256.ConditionalSelect(positiveTail, tailB, one - yb * ErfcCoefficients.Small(yb * yb));
        if (VectorRandom.Any(negativeTail))
            factorB = Vector256.ConditionalSelect(negativeTail, Vector256.Create(2.0) - Vector256.Exp(-yb * yb) * tailB, factorB);
        termB = Vector256.Exp(exponentB) * factorB;

        var termA = Vector256.Exp(kt + half - ya * ya) * TailRational(ya, Vector256<double>.AllBitsSet);
        var ratio = Vector256.Create(2 / Math.PI) * k * (termB + termA);
        return one / (one + ratio);
    }

    /// <summary>erfc(y) exp(y^2) for y &gt; 0.46875 in the lanes of <paramref name="used"/>: Cody's middle or large form.</summary>
    private static Vector256<double> TailRational(Vector256<double> y, Vector256<double> used)
    {
        var middle = Vector256.LessThanOrEqual(y, Vector256.Create(4.0));
        var result = VectorRandom.Any(used & middle) ? ErfcCoefficients.Middle(Vector256.Min(y, Vector256.Create(4.0))) : Vector256<double>.Zero;
        if (VectorRandom.Any(used & ~middle))
            result = Vector256.ConditionalSelect(middle, result, ErfcCoefficients.Large(Vector256.Max(y, Vector256.Create(4.0))));
        return result;
    }

    /// <summary>
    /// Lanes in <paramref name="wanted"/> get a truncated inverse Gaussian draw; the others get t. The first attempt
    /// of the chi-square lanes uses <paramref name="firstExponential"/>.
    /// </summary>
    private static Vector256<double> TruncatedInverseGaussian(Vector256<double> half, Vector256<double> wanted, Vector256<double> firstExponential, ref RandomStream random)
    {
        var mu = Vector256<double>.One / half;
        var chiSquareLanes = Vector256.GreaterThan(mu, truncationV);
        var result = truncationV;
        var pending = wanted;
        while (VectorRandom.Any(pending))
        {
            var needChi = VectorRandom.Any(pending & chiSquareLanes);
            var needIg = VectorRandom.Any(Vector256.AndNot(pending, chiSquareLanes));
            var (xChi, acceptChi) = needChi ? ChiSquareProposal(half, firstExponential, ref random) : (truncationV, Vector256<double>.Zero);
            firstExponential = VectorRandom.Exponential(ref random);
            var (xIg, acceptIg) = needIg ? InverseGaussianProposal(mu, ref random) : (truncationV, Vector256<double>.Zero);
            var x = Vector256.ConditionalSelect(chiSquareLanes, xChi, xIg);
            var accepted = Vector256.ConditionalSelect(chiSquareLanes, acceptChi, acceptIg) & pending;
            result = Vector256.ConditionalSelect(accepted, x, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }

    /// <summary>
    /// Small |z| lanes: x = t / (1 + t E)^2 kept with probability exp(-t E^2 / 2) exp(-z^2 x / 2). The scalar path
    /// tests the two factors one after the other; testing one uniform against their product accepts the same x
    /// with the same probability, for one exponential and one exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> X, Vector256<double> Accept) ChiSquareProposal(Vector256<double> half, Vector256<double> e, ref RandomStream random)
    {
        var root = Vector256<double>.One + e * truncationV;
        var x = truncationV / (root * root);
        var logAccept = Vector256.Create(-0.5) * (truncationV * e * e + half * half * x);
        return (x, Vector256.LessThanOrEqual(random.NextDoubleVector(), Vector256.Exp(logAccept)));
    }

    /// <summary>Larger |z| lanes: inverse Gaussian (mean mu, shape 1) draws, accepted below t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> X, Vector256<double> Accept) InverseGaussianProposal(Vector256<double> mu, ref RandomStream random)
    {
            var n = VectorRandom.Normal(ref random);
            var muY = mu * n * n;
            var xIg = mu + Vector256.Create(0.5) * mu * muY - Vector256.Create(0.5) * mu * Vector256.Sqrt(Vector256.Create(4.0) * muY + muY * muY);
            xIg = Vector256.ConditionalSelect(Vector256.GreaterThan(random.NextDoubleVector(), mu / (mu + xIg)), mu * mu / xIg, xIg);
            return (xIg, Vector256.LessThan(xIg, truncationV));
    }

    /// <summary>
    /// The alternating series for four proposals at once; a lane's verdict is final once reached. Every coefficient
    /// is a power of one exp: right of t, a_n = k_n q^((2n+1)^2) with q = exp(-pi^2 x / 8); left of t,
    /// a_n = k_n (2 / (pi x))^(3/2) r^((2n+1)^2) with r = exp(-1 / (2x)). Successive powers come from
    /// q^((2n+3)^2) = q^((2n+1)^2) * q^(8n+8), so the whole loop needs one exp and one sqrt.
    /// </summary>
    private static Vector256<double> AcceptBySeries(Vector256<double> x, ref RandomStream random)
    {
        var one = Vector256<double>.One;
        var rightForm = Vector256.GreaterThan(x, truncationV);
        var baseValue = Vector256.Exp(Vector256.ConditionalSelect(rightForm,
            Vector256.Create(-Math.PI * Math.PI / 8) * x, Vector256.Create(-0.5) / x));
        var inverse = Vector256.Create(2 / Math.PI) / x;
        var prefactor = Vector256.ConditionalSelect(rightForm, one, inverse * Vector256.Sqrt(inverse));
        var power = baseValue;                         // base^((2n+1)^2) at n = 0
        var base8 = baseValue * baseValue;
        base8 *= base8;
        base8 *= base8;                                // base^8
        var step = base8;                              // base^(8n+8) at n = 0
        var s = Vector256.Create(0.5 * Math.PI) * prefactor * power;
        var y = random.NextDoubleVector() * s;
        var accepted = Vector256<double>.Zero;
        var undecided = Vector256<double>.AllBitsSet;
        for (var n = 1; VectorRandom.Any(undecided); n++)
        {
            power *= step;                             // base^((2n+1)^2)
            step *= base8;                             // base^(8n+8)
            var a = Vector256.Create((n + 0.5) * Math.PI) * prefactor * power;
            if ((n & 1) == 1)
            {
                s -= a;
                var yes = Vector256.LessThanOrEqual(y, s) & undecided;
                accepted |= yes;
                undecided = Vector256.AndNot(undecided, yes);
            }
            else
            {
                s += a;
                undecided = Vector256.AndNot(undecided, Vector256.GreaterThan(y, s));
            }
        }
        return accepted;
    }
}
