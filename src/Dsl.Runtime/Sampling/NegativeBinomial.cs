using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>NB(mean, inverse dispersion theta) as the gamma-Poisson mixture: Poisson(Gamma(theta) * mean / theta).</summary>
public static class NegativeBinomial
{
    public static double Sample(double mean, double theta, ref RandomStream random) =>
        Poisson.Sample(Gamma.Sample(theta, ref random) * mean / theta, ref random);

    public static void Sample(ReadOnlySpan<double> mean, ReadOnlySpan<double> theta, Span<double> destination, ref RandomStream random)
    {
        var i = 0;
        for (; i + 4 <= mean.Length; i += 4)
        {
            var th = Vector256.Create(theta[i..]);
            var rate = Vector256.Exp(Gamma.SampleLog(th, ref random)) * Vector256.Create(mean[i..]) / th;
            Poisson.Sample(rate, ref random).CopyTo(destination[i..]);
        }
        for (; i < mean.Length; i++) destination[i] = Sample(mean[i], theta[i], ref random);
    }
}
