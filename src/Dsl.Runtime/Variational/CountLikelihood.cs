using System.Numerics;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Variational;

/// <summary>
/// Log-likelihoods of count observations and their partial derivatives with respect to each distribution
/// argument: the leaves the generated chain rule starts from. ZINB is in the logit form of scVI's Appendix B,
/// log p(0) = S(−π + θ·log(θ/(θ+μ))) − S(−π) and log p(y>0) = −π − S(−π) + θ·log(θ/(θ+μ)) + y·log(μ/(θ+μ))
/// + lnΓ(y+θ) − lnΓ(θ) − lnΓ(y+1), with S the softplus; everything is evaluated in double.
/// </summary>
public static class CountLikelihood
{
    public static T ZeroInflatedNegativeBinomial<T>(T count, T mean, T inverseDispersion, T zeroLogit,
        out T dMean, out T dInverseDispersion, out T dZeroLogit) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double y = double.CreateTruncating(count), mu = double.CreateTruncating(mean), theta = double.CreateTruncating(inverseDispersion);
        double logit = double.CreateTruncating(zeroLogit);
        var logShare = System.Math.Log(theta / (theta + mu));        // log(θ/(θ+μ))
        var meanShare = mu / (theta + mu);
        double value, dMu, dTheta, dPi;
        if (y == 0)
        {
            var a = theta * logShare;
            value = SpecialFunctions.Softplus(a - logit) - SpecialFunctions.Softplus(-logit);
            var zeroWeight = SpecialFunctions.Logistic(a - logit);  // ∂/∂a of S(a − π)
            dPi = SpecialFunctions.Logistic(-logit) - zeroWeight;
            dMu = -zeroWeight * theta / (theta + mu);
            dTheta = zeroWeight * (logShare + meanShare);
        }
        else
        {
            value = -logit - SpecialFunctions.Softplus(-logit) + NegativeBinomialPositive(y, mu, theta, logShare, meanShare, out dMu, out dTheta);
            dPi = -SpecialFunctions.Logistic(logit);
        }
        dMean = T.CreateTruncating(dMu);
        dInverseDispersion = T.CreateTruncating(dTheta);
        dZeroLogit = T.CreateTruncating(dPi);
        return T.CreateTruncating(value);
    }

    public static T NegativeBinomial<T>(T count, T mean, T inverseDispersion, out T dMean, out T dInverseDispersion)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double y = double.CreateTruncating(count), mu = double.CreateTruncating(mean), theta = double.CreateTruncating(inverseDispersion);
        var logShare = System.Math.Log(theta / (theta + mu));
        var meanShare = mu / (theta + mu);
        var value = NegativeBinomialPositive(y, mu, theta, logShare, meanShare, out var dMu, out var dTheta);
        dMean = T.CreateTruncating(dMu);
        dInverseDispersion = T.CreateTruncating(dTheta);
        return T.CreateTruncating(value);
    }

    public static T Poisson<T>(T count, T rate, out T dRate) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double y = double.CreateTruncating(count), lambda = double.CreateTruncating(rate);
        dRate = T.CreateTruncating(y / lambda - 1);
        var value = (y == 0 ? 0 : y * System.Math.Log(lambda)) - lambda - SpecialFunctions.LogGamma(y + 1);
        return T.CreateTruncating(value);
    }

    /// <summary>The negative binomial log-probability (any y ≥ 0) with its derivatives in μ and θ.</summary>
    private static double NegativeBinomialPositive(double y, double mu, double theta, double logShare, double meanShare, out double dMu, out double dTheta)
    {
        var total = theta + mu;
        dMu = y / mu - (y + theta) / total;
        dTheta = logShare + meanShare - y / total;
        var value = theta * logShare;
        if (y > 0)
        {
            value += y * System.Math.Log(mu / total) + SpecialFunctions.LogGamma(y + theta) - SpecialFunctions.LogGamma(theta) - SpecialFunctions.LogGamma(y + 1);
            dTheta += SpecialFunctions.Digamma(y + theta) - SpecialFunctions.Digamma(theta);
        }
        return value;
    }
}
