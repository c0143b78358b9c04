using System.Numerics;

namespace Dsl.Runtime.Variational;

/// <summary>KL(N(m, v) ‖ N(m0, v0)) and its derivatives in the factor's mean and variance (the analytic KL terms of the ELBO).</summary>
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
}
