using System.Numerics;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Hmc;

/// <summary>
/// The log density of each scalar distribution of the DSL with its partial derivative in the value and in every
/// argument, in the catalogue's argument order: what generated samplers call once per entry. Normalising constants
/// are kept, so a sum of these is the model's log joint. Outside an argument's support the density is NaN (the
/// sampler treats a non-finite log density as a divergence and rejects the step), never a clamped number. The value
/// of a discrete distribution gets a partial of 0.
/// </summary>
public static class LogDensity
{
    private const double HalfLogTwoPi = 0.91893853320467274178;
    private const double LogPi = 1.14472988584940017414;
    private const double LogTwo = 0.69314718055994530942;

    /// <summary>-(x - mean)²/(2 sd²) - log sd - log √(2π).</summary>
    public static double Normal(double x, double mean, double sd, out double dx, out double dMean, out double dSd)
    {
        // One division, and no logarithm at the unit sd a least-squares objective (deepMc's) calls this with per entry.
        var inverse = 1 / sd;
        var z = (x - mean) * inverse;
        dMean = z * inverse;
        dx = -dMean;
        dSd = (z * z - 1) * inverse;
        return sd > 0 ? -0.5 * z * z - (sd == 1 ? 0 : Math.Log(sd)) - HalfLogTwoPi : double.NaN;
    }

    /// <summary>
    /// <see cref="Normal"/> where every entry of an observation shares its sd (a regression's residual scale): the
    /// generated loop computes 1/sd and log sd once, so an entry costs no division and no logarithm.
    /// </summary>
    public static double NormalAtScale(double x, double mean, double sd, double inverseSd, double logSd, out double dx, out double dMean, out double dSd)
    {
        var z = (x - mean) * inverseSd;
        dMean = z * inverseSd;
        dx = -dMean;
        dSd = (z * z - 1) * inverseSd;
        return sd > 0 ? -0.5 * z * z - logSd - HalfLogTwoPi : double.NaN;
    }

    /// <summary><see cref="LogNormal"/> with 1/logSd and log logSd computed once for entries that share logSd (a log-normal latent's prior).</summary>
    public static double LogNormalAtScale(double x, double logMean, double logSd, double inverseSd, double logOfSd, out double dx, out double dLogMean, out double dLogSd)
    {
        var log = Math.Log(x);
        var normal = NormalAtScale(log, logMean, logSd, inverseSd, logOfSd, out var dLog, out dLogMean, out dLogSd);
        dx = (dLog - 1) / x;
        return normal - log;
    }

    /// <summary>
    /// The logarithms of an observed log-normal's values, taken once when a sampler or objective is built: the
    /// generated code then evaluates the Normal of log y and subtracts log y, with no logarithm per entry.
    /// </summary>
    public static double[] Logarithms(ReadOnlySpan<double> values)
    {
        var logs = new double[values.Length];
        System.Numerics.Tensors.TensorPrimitives.Log(values, logs);
        return logs;
    }

    /// <summary>Normal(log x; logMean, logSd) - log x.</summary>
    public static double LogNormal(double x, double logMean, double logSd, out double dx, out double dLogMean, out double dLogSd)
    {
        var log = Math.Log(x);
        var normal = Normal(log, logMean, logSd, out var dLog, out dLogMean, out dLogSd);
        dx = (dLog - 1) / x;
        return normal - log;
    }

    /// <summary>shape·log rate - logΓ(shape) + (shape - 1)·log x - rate·x.</summary>
    public static double Gamma(double x, double shape, double rate, out double dx, out double dShape, out double dRate)
    {
        var log = Math.Log(x);
        dx = (shape - 1) / x - rate;
        dShape = Math.Log(rate) - SpecialFunctions.Digamma(shape) + log;
        dRate = shape / rate - x;
        return shape > 0 && rate > 0 ? shape * Math.Log(rate) - SpecialFunctions.LogGamma(shape) + (shape - 1) * log - rate * x : double.NaN;
    }

    /// <summary>shape·log scale - logΓ(shape) - (shape + 1)·log x - scale/x.</summary>
    public static double InverseGamma(double x, double shape, double scale, out double dx, out double dShape, out double dScale)
    {
        var log = Math.Log(x);
        dx = -(shape + 1) / x + scale / (x * x);
        dShape = Math.Log(scale) - SpecialFunctions.Digamma(shape) - log;
        dScale = shape / scale - 1 / x;
        return shape > 0 && scale > 0 ? shape * Math.Log(scale) - SpecialFunctions.LogGamma(shape) - (shape + 1) * log - scale / x : double.NaN;
    }

    /// <summary>(a - 1)·log x + (b - 1)·log(1 - x) - log B(a, b).</summary>
    public static double Beta(double x, double a, double b, out double dx, out double dA, out double dB)
    {
        var log = Math.Log(x);
        var logRest = Math.Log(1 - x);
        var digammaSum = SpecialFunctions.Digamma(a + b);
        dx = (a - 1) / x - (b - 1) / (1 - x);
        dA = log - SpecialFunctions.Digamma(a) + digammaSum;
        dB = logRest - SpecialFunctions.Digamma(b) + digammaSum;
        var logBeta = SpecialFunctions.LogGamma(a) + SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a + b);
        return a > 0 && b > 0 ? (a - 1) * log + (b - 1) * logRest - logBeta : double.NaN;
    }

    /// <summary>The improper uniform on the real line: 0.</summary>
    public static double Flat(double x, out double dx)
    {
        dx = 0;
        return 0;
    }

    /// <summary>The improper uniform on the positive reals: 0 (the sampler's transform keeps x positive).</summary>
    public static double HalfFlat(double x, out double dx) => Flat(x, out dx);

    /// <summary>-log(upper - lower) inside the interval (the sampler's transform keeps x there).</summary>
    public static double Uniform(double x, double lower, double upper, out double dx, out double dLower, out double dUpper)
    {
        var width = upper - lower;
        dx = 0;
        dLower = 1 / width;
        dUpper = -1 / width;
        return width > 0 ? -Math.Log(width) : double.NaN;
    }

    /// <summary>log 2 + Normal(x; 0, sd) for x ≥ 0.</summary>
    public static double HalfNormal(double x, double sd, out double dx, out double dSd) =>
        LogTwo + Normal(x, 0, sd, out dx, out _, out dSd);

    /// <summary>-log π - log scale - log(1 + z²), z = (x - location)/scale.</summary>
    public static double Cauchy(double x, double location, double scale, out double dx, out double dLocation, out double dScale)
    {
        var z = (x - location) / scale;
        var onePlus = 1 + z * z;
        dLocation = 2 * z / (scale * onePlus);
        dx = -dLocation;
        dScale = (z * z - 1) / (scale * onePlus);
        return scale > 0 ? -LogPi - Math.Log(scale) - Math.Log(onePlus) : double.NaN;
    }

    /// <summary>log 2 + Cauchy(x; 0, scale) for x ≥ 0.</summary>
    public static double HalfCauchy(double x, double scale, out double dx, out double dScale) =>
        LogTwo + Cauchy(x, 0, scale, out dx, out _, out dScale);

    /// <summary>logΓ((ν+1)/2) - logΓ(ν/2) - ½log(νπ) - log σ - (ν+1)/2·log(1 + z²/ν), z = (x - μ)/σ.</summary>
    public static double StudentT(double x, double degreesOfFreedom, double location, double scale,
        out double dx, out double dDegreesOfFreedom, out double dLocation, out double dScale)
    {
        var nu = degreesOfFreedom;
        var z = (x - location) / scale;
        var ratio = z * z / nu;
        dLocation = (nu + 1) * z / (scale * (nu + z * z));
        dx = -dLocation;
        dScale = ((nu + 1) * z * z / (nu + z * z) - 1) / scale;
        dDegreesOfFreedom = 0.5 * (SpecialFunctions.Digamma((nu + 1) / 2) - SpecialFunctions.Digamma(nu / 2) - 1 / nu - SpecialFunctions.Log1p(ratio))
            + (nu + 1) * z * z / (2 * nu * (nu + z * z));
        return nu > 0 && scale > 0
            ? SpecialFunctions.LogGamma((nu + 1) / 2) - SpecialFunctions.LogGamma(nu / 2) - 0.5 * (Math.Log(nu) + LogPi) - Math.Log(scale) - (nu + 1) / 2 * SpecialFunctions.Log1p(ratio)
            : double.NaN;
    }

    /// <summary>log 2 + StudentT(x; ν, 0, scale) for x ≥ 0.</summary>
    public static double HalfStudentT(double x, double degreesOfFreedom, double scale, out double dx, out double dDegreesOfFreedom, out double dScale) =>
        LogTwo + StudentT(x, degreesOfFreedom, 0, scale, out dx, out dDegreesOfFreedom, out _, out dScale);

    /// <summary>log rate - rate·x.</summary>
    public static double Exponential(double x, double rate, out double dx, out double dRate)
    {
        dx = -rate;
        dRate = 1 / rate - x;
        return rate > 0 ? Math.Log(rate) - rate * x : double.NaN;
    }

    /// <summary>k·log rate - rate - log k!.</summary>
    public static double Poisson(double k, double rate, out double dk, out double dRate)
    {
        dk = 0;
        if (k == 0)
        {
            dRate = -1;
            return rate >= 0 ? -rate : double.NaN;
        }
        dRate = k / rate - 1;
        return rate >= 0 ? k * Math.Log(rate) - rate - SpecialFunctions.LogGamma(k + 1) : double.NaN;
    }

    /// <summary>k·log p + (1 - k)·log(1 - p).</summary>
    public static double Bernoulli(double k, double p, out double dk, out double dP)
    {
        dk = 0;
        dP = k == 1 ? 1 / p : -1 / (1 - p);
        return p is >= 0 and <= 1 ? Math.Log(k == 1 ? p : 1 - p) : double.NaN;
    }

    /// <summary>k·logit - log(1 + e^logit).</summary>
    public static double BernoulliLogit(double k, double logit, out double dk, out double dLogit)
    {
        dk = 0;
        dLogit = k - SpecialFunctions.Logistic(logit);
        return k * logit - SpecialFunctions.Softplus(logit);
    }

    /// <summary>log C(n, k) + k·log p + (n - k)·log(1 - p); the trials are data, so their partial is 0.</summary>
    public static double Binomial(double k, double trials, double p, out double dk, out double dTrials, out double dP)
    {
        dk = 0;
        dTrials = 0;
        dP = (k == 0 ? 0 : k / p) - (trials - k == 0 ? 0 : (trials - k) / (1 - p));
        if (!(p is >= 0 and <= 1)) return double.NaN;
        return LogChoose(trials, k) + (k == 0 ? 0 : k * Math.Log(p)) + (trials - k == 0 ? 0 : (trials - k) * Math.Log(1 - p));
    }

    /// <summary>log C(n, k) + k·logit - n·log(1 + e^logit).</summary>
    public static double BinomialLogit(double k, double trials, double logit, out double dk, out double dTrials, out double dLogit)
    {
        dk = 0;
        dTrials = 0;
        dLogit = k - trials * SpecialFunctions.Logistic(logit);
        return LogChoose(trials, k) + k * logit - trials * SpecialFunctions.Softplus(logit);
    }

    /// <summary>
    /// logΓ(k + θ) - logΓ(θ) - log k! + θ·log(θ/(θ + μ)) + k·log(μ/(θ + μ)), mean μ and inverse dispersion θ.
    /// </summary>
    public static double NegativeBinomial(double k, double mean, double inverseDispersion, out double dk, out double dMean, out double dInverseDispersion)
    {
        var theta = inverseDispersion;
        var logShare = Math.Log(theta / (theta + mean));
        dk = 0;
        dMean = (k == 0 ? 0 : k / mean) - (k + theta) / (theta + mean);
        dInverseDispersion = SpecialFunctions.Digamma(k + theta) - SpecialFunctions.Digamma(theta) + logShare + 1 - (k + theta) / (theta + mean);
        if (!(mean >= 0 && theta > 0)) return double.NaN;
        return SpecialFunctions.LogGamma(k + theta) - SpecialFunctions.LogGamma(theta) - SpecialFunctions.LogGamma(k + 1) + theta * logShare
            + (k == 0 ? 0 : k * Math.Log(mean / (theta + mean)));
    }

    /// <summary>
    /// A structural zero with probability ρ = logistic(zeroLogit), else a negative binomial: log(ρ + (1 - ρ)·NB(0)) at
    /// zero, log(1 - ρ) + log NB(k) above it, the zero case by log-sum-exp.
    /// </summary>
    public static double ZeroInflatedNegativeBinomial(double k, double mean, double inverseDispersion, double zeroLogit,
        out double dk, out double dMean, out double dInverseDispersion, out double dZeroLogit)
    {
        var negativeBinomial = NegativeBinomial(k, mean, inverseDispersion, out dk, out var dNbMean, out var dNbTheta);
        var logNotZero = -SpecialFunctions.Softplus(zeroLogit);
        if (k > 0)
        {
            dMean = dNbMean;
            dInverseDispersion = dNbTheta;
            dZeroLogit = -SpecialFunctions.Logistic(zeroLogit);
            return logNotZero + negativeBinomial;
        }
        var logZero = -SpecialFunctions.Softplus(-zeroLogit);
        var fromCounts = logNotZero + negativeBinomial;
        var total = Math.Max(logZero, fromCounts) + Math.Log(Math.Exp(logZero - Math.Max(logZero, fromCounts)) + Math.Exp(fromCounts - Math.Max(logZero, fromCounts)));
        var countsShare = Math.Exp(fromCounts - total);
        dMean = countsShare * dNbMean;
        dInverseDispersion = countsShare * dNbTheta;
        dZeroLogit = (1 - countsShare) * SpecialFunctions.Logistic(-zeroLogit) - countsShare * SpecialFunctions.Logistic(zeroLogit);
        return total;
    }

    /// <summary>
    /// A Dirichlet row: logΓ(Σα) − Σ logΓ(α_k) + Σ (α_k − 1)·log w_k, with ∂/∂w_k = (α_k − 1)/w_k and
    /// ∂/∂α_k = ψ(Σα) − ψ(α_k) + log w_k written into <paramref name="dW"/> and <paramref name="dAlpha"/>.
    /// </summary>
    public static double Dirichlet(ReadOnlySpan<double> w, ReadOnlySpan<double> alpha, Span<double> dW, Span<double> dAlpha) => Dirichlet<double>(w, alpha, dW, dAlpha);

    /// <summary>As the double form, over rows of any floating type (variational inference trains in float); the arithmetic is in double.</summary>
    public static double Dirichlet<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> alpha, Span<T> dW, Span<T> dAlpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var total = 0.0;
        foreach (var a in alpha)
        {
            if (!(double.CreateTruncating(a) > 0)) return double.NaN;
            total += double.CreateTruncating(a);
        }
        var digammaTotal = SpecialFunctions.Digamma(total);
        var density = SpecialFunctions.LogGamma(total);
        for (var k = 0; k < w.Length; k++)
        {
            var (wk, ak) = (double.CreateTruncating(w[k]), double.CreateTruncating(alpha[k]));
            var log = Math.Log(wk);
            density += (ak - 1) * log - SpecialFunctions.LogGamma(ak);
            dW[k] = T.CreateTruncating((ak - 1) / wk);
            dAlpha[k] = T.CreateTruncating(digammaTotal - SpecialFunctions.Digamma(ak) + log);
        }
        return density;
    }

    /// <summary>
    /// A multinomial row of counts x over weights p normalised by their sum S (the DSL's convention):
    /// logΓ(N + 1) − Σ logΓ(x_k + 1) + Σ x_k·log(p_k / S), N = Σx, with ∂/∂p_k = x_k/p_k − N/S. The counts are data:
    /// their partials are 0.
    /// </summary>
    public static double Multinomial(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dX, Span<double> dP) => Multinomial<double>(x, p, dX, dP);

    /// <summary>As the double form, over rows of any floating type; the arithmetic is in double.</summary>
    public static double Multinomial<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> p, Span<T> dX, Span<T> dP) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (total, sum) = (0.0, 0.0);
        for (var k = 0; k < x.Length; k++)
        {
            if (!(double.CreateTruncating(p[k]) >= 0)) return double.NaN;
            total += double.CreateTruncating(x[k]);
            sum += double.CreateTruncating(p[k]);
        }
        if (!(sum > 0)) return double.NaN;
        var density = SpecialFunctions.LogGamma(total + 1) - total * Math.Log(sum);
        for (var k = 0; k < x.Length; k++)
        {
            var (xk, pk) = (double.CreateTruncating(x[k]), double.CreateTruncating(p[k]));
            dX[k] = T.Zero;
            dP[k] = T.CreateTruncating((xk == 0 ? 0 : xk / pk) - total / sum);
            density += (xk == 0 ? 0 : xk * Math.Log(pk)) - SpecialFunctions.LogGamma(xk + 1);
        }
        return density;
    }

    /// <summary>log Σ exp(x_i), by the largest term (−∞ for no terms or all −∞).</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        if (double.IsNegativeInfinity(max) || double.IsNaN(max)) return max;
        var sum = 0.0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    private static double LogChoose(double n, double k) =>
        SpecialFunctions.LogGamma(n + 1) - SpecialFunctions.LogGamma(k + 1) - SpecialFunctions.LogGamma(n - k + 1);
}
