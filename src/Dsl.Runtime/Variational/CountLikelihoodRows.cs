using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The count likelihoods of <see cref="CountLikelihood"/> over whole rows (one cell's genes), four entries at a
/// time in double lanes whatever T is: the generated ELBO spends most of its non-GEMM time here (lnΓ and ψ of the
/// negative binomial). Lanes whose count is zero skip the lnΓ/ψ work when the whole vector is zero. Returns the
/// row's log-likelihood and writes each argument's derivative per entry.
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
                var positive = ~zero;
                var total = theta + mu;
                var logTotal = VectorMath.Log(total);
                var logShare = VectorMath.Log(theta) - logTotal;
                var meanShare = mu / total;
                var a = theta * logShare;
                Vector256<double> value = default, dMu = default, dTheta = default, dPi = default;
                if (zero.ExtractMostSignificantBits() != 0)
                {
                    var weight = VectorMath.Logistic(a - pi);
                    value = VectorMath.Softplus(a - pi) - VectorMath.Softplus(-pi);
                    dPi = VectorMath.Logistic(-pi) - weight;
                    dMu = -weight * theta / total;
                    dTheta = weight * (logShare + meanShare);
                }
                if (positive.ExtractMostSignificantBits() != 0)
                {
                    var nb = NegativeBinomialPositive(y, mu, theta, total, logTotal, logShare, meanShare, out var nbMu, out var nbTheta);
                    value = Vector256.ConditionalSelect(zero, value, -pi - VectorMath.Softplus(-pi) + nb);
                    dPi = Vector256.ConditionalSelect(zero, dPi, -VectorMath.Logistic(pi));
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
                var total = theta + mu;
                var logTotal = VectorMath.Log(total);
                sum += NegativeBinomialPositive(y, mu, theta, total, logTotal, VectorMath.Log(theta) - logTotal, mu / total, out var dMu, out var dTheta);
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
    private static Vector256<double> NegativeBinomialPositive(Vector256<double> y, Vector256<double> mu, Vector256<double> theta, Vector256<double> total,
        Vector256<double> logTotal, Vector256<double> logShare, Vector256<double> meanShare, out Vector256<double> dMu, out Vector256<double> dTheta)
    {
        var positive = Vector256.GreaterThan(y, Vector256<double>.Zero);
        dMu = y / mu - (y + theta) / total;
        dTheta = logShare + meanShare - y / total;
        var value = theta * logShare;
        if (positive.ExtractMostSignificantBits() == 0) return value;
        var countTerms = y * (VectorMath.Log(mu) - logTotal) + VectorMath.LogGamma(y + theta) - VectorMath.LogGamma(theta) - VectorMath.LogFactorial(y);
        var digammas = VectorMath.Digamma(y + theta) - VectorMath.Digamma(theta);
        dTheta += Vector256.ConditionalSelect(positive, digammas, Vector256<double>.Zero);
        // mu = 0 with y = 0 would make y·log(mu) a NaN; those lanes take no count terms at all.
        dMu = Vector256.ConditionalSelect(positive, dMu, -theta / total);
        return value + Vector256.ConditionalSelect(positive, countTerms, Vector256<double>.Zero);
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
