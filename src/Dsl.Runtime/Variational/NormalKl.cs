using System;
using System.Numerics;

namespace Dsl.Runtime.Variational;

/// <summary>
/// KL(N(m, v) ‖ N(m0, v0)) and its derivatives in the factor's mean and variance (the analytic KL terms of the ELBO),
/// and the log density ratio of prior to factor at one reparameterised sample (the importance weights).
/// </summary>
public static class NormalKl
{
    public static T Divergence<T>(T mean, T variance, T priorMean, T priorVariance, out T dMean, out T dVariance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var half = T.CreateTruncating(0.5);
        var difference = mean - priorMean;
        dMean = difference / priorVariance;
        dVariance = half * (T.One / priorVariance - T.One / variance);
        return half * (T.Log(priorVariance / variance) + (variance + difference * difference) / priorVariance - T.One);
    }

    /// <summary>
    /// log q(u) of a Normal guide at its own reparameterised draw u = mean + sd·ε: −ε²/2 − log sd − ½ log 2π (the
    /// guide's mean drops out, so at fixed ε the value moves with log sd only).
    /// </summary>
    public static double GuideLogDensity(double noise, double logSd) => -0.5 * noise * noise - logSd - HalfLogTwoPi;

    /// <summary>½ log 2π.</summary>
    private const double HalfLogTwoPi = 0.91893853320467274;

    /// <summary>log N(u; m0, v0) − log N(u; m, v) at u = m + √v·ε, computed from ε so a tiny v loses no precision.</summary>
    public static double LogDensityRatio<T>(T mean, T variance, T noise, T priorMean, T priorVariance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double m = double.CreateTruncating(mean), v = double.CreateTruncating(variance), e = double.CreateTruncating(noise);
        double m0 = double.CreateTruncating(priorMean), v0 = double.CreateTruncating(priorVariance);
        var deviation = m + Math.Sqrt(v) * e - m0;
        return 0.5 * (Math.Log(v / v0) + e * e - deviation * deviation / v0);
    }
}
