using System;

namespace Dsl
{
    /// <summary>
    /// The value a <c>Dist.*</c> marker stands for. Node bodies are read by the generator and never run; the implicit
    /// conversions only let a body type-check against the node's declared value type.
    /// </summary>
    public readonly struct Draw
    {
        public static implicit operator double(Draw draw) => 0;
        public static implicit operator int(Draw draw) => 0;
    }

    /// <summary>
    /// Distribution markers. Vector-valued distributions name the plate they range over with <c>over:</c>, which must
    /// be one of the node's own plates (e.g. <c>W(Type k, Bulk j) =&gt; Dist.Dirichlet(over: k, alpha(k))</c>).
    /// </summary>
    public static class Dist
    {
        public static Draw Normal(double mean, double sd) => default;
        public static Draw LogNormal(double logMean, double logSd) => default;
        public static Draw Gamma(double shape, double rate) => default;
        public static Draw Beta(double a, double b) => default;
        public static Draw Dirichlet<TPlate>(TPlate over, double concentration) where TPlate : struct => default;
        /// <summary>A category from the <c>over</c> plate with the given probabilities (exactly one of p, logit).</summary>
        public static TPlate Categorical<TPlate>(Func<TPlate, double> p = null!, Func<TPlate, double> logit = null!) where TPlate : struct => default;
        /// <summary>Counts over the <c>over</c> plate; the number of trials is the observed total along it.</summary>
        public static Draw Multinomial<TPlate>(TPlate over, double p) where TPlate : struct => default;
        /// <summary>Exactly one of <paramref name="p"/> and <paramref name="logit"/>.</summary>
        public static Draw Bernoulli(double? p = null, double? logit = null) => default;
        public static Draw Binomial(double trials, double? p = null, double? logit = null) => default;
        public static Draw Poisson(double rate) => default;
        public static Draw NegativeBinomial(double mean, double inverseDispersion) => default;
        public static Draw ZeroInflatedNegativeBinomial(double mean, double inverseDispersion, double zeroLogit) => default;

        /// <summary>The improper uniform prior on the real line (Stan's default for an unconstrained parameter).</summary>
        public static Draw Flat() => default;
        /// <summary>The improper uniform prior on the positive reals.</summary>
        public static Draw HalfFlat() => default;
        /// <summary>Uniform on (lower, upper); the bounds may not depend on latents.</summary>
        public static Draw Uniform(double lower, double upper) => default;
        /// <summary>|x| for x ~ Normal(0, sd): a scale prior.</summary>
        public static Draw HalfNormal(double sd) => default;
        public static Draw Cauchy(double location, double scale) => default;
        /// <summary>|x| for x ~ Cauchy(0, scale): a scale prior.</summary>
        public static Draw HalfCauchy(double scale) => default;
        public static Draw StudentT(double degreesOfFreedom, double location, double scale) => default;
        /// <summary>|x| for x ~ StudentT(degreesOfFreedom, 0, scale): a scale prior (brms' default for sds is ν = 3).</summary>
        public static Draw HalfStudentT(double degreesOfFreedom, double scale) => default;
        public static Draw Exponential(double rate) => default;
        /// <summary>1/x ~ Gamma(shape, rate = scale).</summary>
        public static Draw InverseGamma(double shape, double scale) => default;
    }

    /// <summary>Deterministic functions allowed in node expressions (<c>using static Dsl.Fn;</c>).</summary>
    public static class Fn
    {
        /// <summary>Sum over a plate: <c>Sum((Gene n) =&gt; A(n, k))</c>.</summary>
        public static double Sum<TPlate>(Func<TPlate, double> body) where TPlate : struct => 0;
        /// <summary>The number of entries of a plate, <c>Size&lt;Cell&gt;()</c>: for means, <c>Sum((Cell m) =&gt; x(m)) / Size&lt;Cell&gt;()</c>.</summary>
        public static double Size<TPlate>() where TPlate : struct => 0;
        public static double Logistic(double x) => 0;
        public static double Exp(double x) => 0;
        public static double Log(double x) => 0;
        public static double Log1p(double x) => 0;
        public static double Sqrt(double x) => 0;
        public static double Softplus(double x) => 0;
        /// <summary>Φ(x), the standard normal CDF: <c>Dist.Bernoulli(p: Phi(eta))</c> is a probit link.</summary>
        public static double Phi(double x) => 0;
    }
}
