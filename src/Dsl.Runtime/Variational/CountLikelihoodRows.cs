using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The count likelihoods of <see cref="CountLikelihood"/> over whole rows (one cell's genes), four entries at a
/// time in double lanes whatever T is: the generated ELBO spends most of its non-GEMM time here. The vector forms
/// share work the scalar ones repeat: one reciprocal of θ + μ gives both shares, one exp(−|x|) and one log1p give
/// softplus(x) and both logistics of x, and the count terms lnΓ(y+θ) − lnΓ(θ) and ψ(y+θ) − ψ(θ) come from the
/// rising factorial P = θ(θ+1)···(θ+y−1) and its derivative P′ as log P and P′/P whenever the counts are small
/// (see <see cref="CountTerms"/>). Returns the row's log-likelihood and writes each argument's derivative per entry.
/// </summary>
public static class CountLikelihoodRows
{
    private static readonly Vector256<double> one = Vector256.Create(1.0);

    public static double ZeroInflatedNegativeBinomial<T>(ReadOnlySpan<T> count, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverseDispersion, ReadOnlySpan<T> zeroLogit,
        Span<T> dMean, Span<T> dInverseDispersion, Span<T> dZeroLogit) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sum = Vector256<double>.Zero;
        var i = 0;
        if (Avx.IsSupported)
        {
            for (; i <= count.Length - 4; i += 4)
            {
                var y = Load(count, i);
                var mu = Load(mean, i);
                var theta = Load(inverseDispersion, i);
                var pi = Load(zeroLogit, i);
                var zero = Vector256.Equals(y, Vector256<double>.Zero);
                var reciprocal = one / (theta + mu);
                var meanShare = mu * reciprocal;
                var thetaShare = theta * reciprocal;
                var logShare = VectorMath.Log(thetaShare);
                // softplus(−π), logistic(π) and logistic(−π) from one exp and one log.
                var (softplusMinusPi, logisticMinusPi) = SoftplusAndLogistic(-pi);
                var logisticPi = one - logisticMinusPi;
                Vector256<double> value = default, dMu = default, dTheta = default, dPi = default;
                if (zero.ExtractMostSignificantBits() != 0)
                {
                    var (softplus, weight) = SoftplusAndLogistic(theta * logShare - pi);
                    value = softplus - softplusMinusPi;
                    dPi = logisticMinusPi - weight;
                    dMu = -weight * thetaShare;
                    dTheta = weight * (logShare + meanShare);
                }
                if (zero.ExtractMostSignificantBits() != 0xF)
                {
                    var nb = NegativeBinomialAt(y, mu, theta, reciprocal, meanShare, logShare, out var nbMu, out var nbTheta);
                    value = Vector256.ConditionalSelect(zero, value, -pi - softplusMinusPi + nb);
                    dPi = Vector256.ConditionalSelect(zero, dPi, -logisticPi);
                    dMu = Vector256.ConditionalSelect(zero, dMu, nbMu);
                    dTheta = Vector256.ConditionalSelect(zero, dTheta, nbTheta);
                }
                sum += value;
                Store(dMean, i, dMu);
                Store(dInverseDispersion, i, dTheta);
                Store(dZeroLogit, i, dPi);
            }
        }
        var total0 = Vector256.Sum(sum);
        for (; i < count.Length; i++)
            total0 += double.CreateTruncating(CountLikelihood.ZeroInflatedNegativeBinomial(count[i], mean[i], inverseDispersion[i], zeroLogit[i],
                out dMean[i], out dInverseDispersion[i], out dZeroLogit[i]));
        return total0;
    }

    public static double NegativeBinomial<T>(ReadOnlySpan<T> count, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverseDispersion,
        Span<T> dMean, Span<T> dInverseDispersion) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sum = Vector256<double>.Zero;
        var i = 0;
        if (Avx.IsSupported)
        {
            for (; i <= count.Length - 4; i += 4)
            {
                var y = Load(count, i);
                var mu = Load(mean, i);
                var theta = Load(inverseDispersion, i);
                var reciprocal = one / (theta + mu);
                sum += NegativeBinomialAt(y, mu, theta, reciprocal, mu * reciprocal, VectorMath.Log(theta * reciprocal), out var dMu, out var dTheta);
                Store(dMean, i, dMu);
                Store(dInverseDispersion, i, dTheta);
            }
        }
        var result = Vector256.Sum(sum);
        for (; i < count.Length; i++)
            result += double.CreateTruncating(CountLikelihood.NegativeBinomial(count[i], mean[i], inverseDispersion[i], out dMean[i], out dInverseDispersion[i]));
        return result;
    }

    public static double Poisson<T>(ReadOnlySpan<T> count, ReadOnlySpan<T> rate, Span<T> dRate) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = 0.0;
        for (var i = 0; i < count.Length; i++) result += double.CreateTruncating(CountLikelihood.Poisson(count[i], rate[i], out dRate[i]));
        return result;
    }

    /// <summary>The negative binomial for every lane (zero lanes too: the y-terms vanish there by the masks).</summary>
    private static Vector256<double> NegativeBinomialAt(Vector256<double> y, Vector256<double> mu, Vector256<double> theta, Vector256<double> reciprocal,
        Vector256<double> meanShare, Vector256<double> logShare, out Vector256<double> dMu, out Vector256<double> dTheta)
    {
        var positive = Vector256.GreaterThan(y, Vector256<double>.Zero);
        dTheta = logShare + meanShare - y * reciprocal;
        var value = theta * logShare;
        if (positive.ExtractMostSignificantBits() == 0)
        {
            dMu = -theta * reciprocal;
            return value;
        }
        var (logGammaRatio, digammaDifference) = CountTerms(y, theta);
        var countTerms = y * VectorMath.Log(meanShare) + logGammaRatio - VectorMath.LogFactorial(y);
        dTheta += Vector256.ConditionalSelect(positive, digammaDifference, Vector256<double>.Zero);
        // mu = 0 with y = 0 would make y·log(mu) a NaN; those lanes take no count terms at all.
        dMu = Vector256.ConditionalSelect(positive, y / mu - (y + theta) * reciprocal, -theta * reciprocal);
        return value + Vector256.ConditionalSelect(positive, countTerms, Vector256<double>.Zero);
    }

    /// <summary>Counts up to this use the rising factorial; above it, lnΓ and ψ.</summary>
    private const double RisingFactorialLimit = 64;

    /// <summary>
    /// lnΓ(y+θ) − lnΓ(θ) and ψ(y+θ) − ψ(θ) for whole y ≥ 0. With P = Π_{k&lt;y} (θ+k), the first is log P and the second
    /// Σ 1/(θ+k) = P′/P, and P′ follows P through P′ ← P′·(θ+k) + P: one log and one division for the four lanes
    /// instead of two lnΓ and two ψ (four logs, sixteen divisions). Lanes whose y is used up multiply by 1. Above
    /// <see cref="RisingFactorialLimit"/>, or where P overflows (θ beyond about 1e4 with y near the limit), the
    /// general functions are used.
    /// </summary>
    private static (Vector256<double> LogGammaRatio, Vector256<double> DigammaDifference) CountTerms(Vector256<double> y, Vector256<double> theta)
    {
        var largest = Math.Max(Math.Max(y[0], y[1]), Math.Max(y[2], y[3]));
        if (largest <= RisingFactorialLimit && Vector256.EqualsAll(y, Vector256.Floor(y)))
        {
            Vector256<double> product = one, derivative = Vector256<double>.Zero, factor = theta, k = Vector256<double>.Zero;
            for (var step = 0; step < (int)largest; step++)
            {
                var active = Vector256.LessThan(k, y);
                derivative = Vector256.ConditionalSelect(active, Vector256.FusedMultiplyAdd(derivative, factor, product), derivative);
                product = Vector256.ConditionalSelect(active, product * factor, product);
                factor += one;
                k += one;
            }
            if (Vector256.LessThanAll(product, Vector256.Create(double.MaxValue)))
                return (VectorMath.Log(product), derivative / product);
        }
        return (VectorMath.LogGamma(y + theta) - VectorMath.LogGamma(theta), VectorMath.Digamma(y + theta) - VectorMath.Digamma(theta));
    }

    /// <summary>softplus(x) = log(1 + eˣ) and logistic(x) = 1/(1 + e⁻ˣ), sharing e^{−|x|} and its log1p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Softplus, Vector256<double> Logistic) SoftplusAndLogistic(Vector256<double> x)
    {
        var small = VectorMath.Exp(-Vector256.Abs(x));
        var softplus = Vector256.Max(x, Vector256<double>.Zero) + VectorMath.Log1p(small);
        var inverse = one / (one + small);
        return (softplus, Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), inverse, small * inverse));
    }

    private static Vector256<double> Load<T>(ReadOnlySpan<T> values, int i) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Vector256.Create<double>(MemoryMarshal.Cast<T, double>(values).Slice(i, 4));
        if (typeof(T) == typeof(float)) return Avx.ConvertToVector256Double(Vector128.Create<float>(MemoryMarshal.Cast<T, float>(values).Slice(i, 4)));
        return Vector256.Create(double.CreateTruncating(values[i]), double.CreateTruncating(values[i + 1]), double.CreateTruncating(values[i + 2]), double.CreateTruncating(values[i + 3]));
    }

    private static void Store<T>(Span<T> values, int i, Vector256<double> v) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) { v.CopyTo(MemoryMarshal.Cast<T, double>(values).Slice(i, 4)); return; }
        if (typeof(T) == typeof(float)) { Avx.ConvertToVector128Single(v).CopyTo(MemoryMarshal.Cast<T, float>(values).Slice(i, 4)); return; }
        for (var k = 0; k < 4; k++) values[i + k] = T.CreateTruncating(v[k]);
    }
}
