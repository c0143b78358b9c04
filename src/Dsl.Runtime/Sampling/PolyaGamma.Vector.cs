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
            var right = Vector256.LessThan(random.NextDoubleVector(), rightMass);
            var xRight = truncationV + VectorRandom.Exponential(ref random) / k;
            var needLeft = Vector256.AndNot(pending, right);
            var x = VectorRandom.Any(needLeft)
                ? Vector256.ConditionalSelect(right, xRight, TruncatedInverseGaussian(half, needLeft, ref random))
                : xRight;
            var accepted = AcceptBySeries(x, ref random) & pending;
            result = Vector256.ConditionalSelect(accepted, Vector256.Create(0.25) * x, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }

    /// <summary>
    /// p / (p + q) with q / p = (4 / pi) k e^(k t) [e^-h Phi(b) + e^h Phi(a)]: the scalar form's terms regrouped so
    /// e^h meets erfc's own exp(-y^2) inside one exponent (no overflow, two fewer exps).
    /// </summary>
    private static Vector256<double> RightProposalMass(Vector256<double> half, Vector256<double> k)
    {
        var rootHalfT = Vector256.Create(Math.Sqrt(0.5 / Truncation));
        // Phi(b) = erfc(yb) / 2 with yb = (1 - t h) / sqrt(2t); Phi(a) = erfc(ya) / 2 with ya = (1 + t h) / sqrt(2t) > 0.88.
        var yb = (Vector256<double>.One - truncationV * half) * rootHalfT;
        var ya = (Vector256<double>.One + truncationV * half) * rootHalfT;
        var leftOfB = VectorMath.Erfc(yb) * Vector256.Exp(-half);
        var tailA = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(ya, Vector256.Create(4.0)),
            ErfcCoefficients.Middle(ya), ErfcCoefficients.Large(Vector256.Max(ya, Vector256.Create(4.0))));
        var rightOfA = Vector256.Exp(half - ya * ya) * tailA;
        var ratio = Vector256.Create(2 / Math.PI) * k * Vector256.Exp(k * truncationV) * (leftOfB + rightOfA);
        return Vector256<double>.One / (Vector256<double>.One + ratio);
    }

    /// <summary>Lanes in <paramref name="wanted"/> get a truncated inverse Gaussian draw; the others get t.</summary>
    private static Vector256<double> TruncatedInverseGaussian(Vector256<double> half, Vector256<double> wanted, ref RandomStream random)
    {
        var mu = Vector256<double>.One / half;
        var chiSquareLanes = Vector256.GreaterThan(mu, truncationV);
        var result = truncationV;
        var pending = wanted;
        while (VectorRandom.Any(pending))
        {
            var needChi = VectorRandom.Any(pending & chiSquareLanes);
            var needIg = VectorRandom.Any(Vector256.AndNot(pending, chiSquareLanes));
            var (xChi, acceptChi) = needChi ? ChiSquareProposal(half, ref random) : (truncationV, Vector256<double>.Zero);
            var (xIg, acceptIg) = needIg ? InverseGaussianProposal(mu, ref random) : (truncationV, Vector256<double>.Zero);
            var x = Vector256.ConditionalSelect(chiSquareLanes, xChi, xIg);
            var accepted = Vector256.ConditionalSelect(chiSquareLanes, acceptChi, acceptIg) & pending;
            result = Vector256.ConditionalSelect(accepted, x, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }

    /// <summary>Small |z| lanes: a 1/chi-square proposal on (0, t) thinned by exp(-z^2 x / 2), one fused test.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> X, Vector256<double> Accept) ChiSquareProposal(Vector256<double> half, ref RandomStream random)
    {
            var e1 = VectorRandom.Exponential(ref random);
            var e2 = VectorRandom.Exponential(ref random);
            var u = random.NextDoubleVector();
            var root = Vector256<double>.One + e1 * truncationV;
            var xChi = truncationV / (root * root);
            var acceptChi = Vector256.LessThanOrEqual(e1 * e1, Vector256.Create(2.0) * e2 / truncationV)
                & Vector256.LessThanOrEqual(u, Vector256.Exp(Vector256.Create(-0.5) * half * half * xChi));
            return (xChi, acceptChi);
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

    /// <summary>The alternating series for four proposals at once; a lane's verdict is final once reached.</summary>
    private static Vector256<double> AcceptBySeries(Vector256<double> x, ref RandomStream random)
    {
        // The left form's x-dependent part -1.5 (log(pi/2) + log x), shared by every term.
        var leftBase = Vector256.Create(-1.5) * (Vector256.Create(Math.Log(0.5 * Math.PI)) + Vector256.Log(x));
        var rightForm = Vector256.GreaterThan(x, truncationV);
        var s = Coefficient(0, x, leftBase, rightForm);
        var y = random.NextDoubleVector() * s;
        var accepted = Vector256<double>.Zero;
        var undecided = Vector256<double>.AllBitsSet;
        for (var n = 1; VectorRandom.Any(undecided); n++)
        {
            var a = Coefficient(n, x, leftBase, rightForm);
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

    /// <summary>a_n(x) for four lanes: both forms are exp(log k + exponent), so one exp serves both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Coefficient(int n, Vector256<double> x, Vector256<double> leftBase, Vector256<double> rightForm)
    {
        var k = (n + 0.5) * Math.PI;
        var rightExponent = Vector256.Create(-0.5 * k * k) * x;
        var leftExponent = leftBase - Vector256.Create(2 * (n + 0.5) * (n + 0.5)) / x;
        return Vector256.Exp(Vector256.Create(Math.Log(k)) + Vector256.ConditionalSelect(rightForm, rightExponent, leftExponent));
    }
}
