using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Models;

/// <summary>
/// One draw of each distribution of the DSL, under its argument names: what generated simulation code calls. Each
/// refuses arguments outside the distribution's support, naming the node, rather than drawing a silent NaN.
/// </summary>
public static class Draw
{
    public static double Normal(string node, double mean, double sd, ref RandomStream random) =>
        mean + Positive(node, "sd", sd) * random.NextNormal();

    public static double LogNormal(string node, double logMean, double logSd, ref RandomStream random) =>
        Math.Exp(logMean + Positive(node, "logSd", logSd) * random.NextNormal());

    public static double Gamma(string node, double shape, double rate, ref RandomStream random) =>
        Sampling.Gamma.Sample(Positive(node, "shape", shape), ref random) / Positive(node, "rate", rate);

    public static double Beta(string node, double a, double b, ref RandomStream random) =>
        Sampling.Beta.Sample(Positive(node, "a", a), Positive(node, "b", b), ref random);

    public static double Bernoulli(string node, double p, ref RandomStream random) =>
        random.NextDouble() < Probability(node, "p", p) ? 1 : 0;

    public static double BernoulliLogit(string node, double logit, ref RandomStream random) =>
        Bernoulli(node, SpecialFunctions.Logistic(Finite(node, "logit", logit)), ref random);

    public static double Binomial(string node, double trials, double p, ref RandomStream random) =>
        Sampling.Binomial.Sample(Count(node, "trials", trials), Probability(node, "p", p), ref random);

    public static double BinomialLogit(string node, double trials, double logit, ref RandomStream random) =>
        Binomial(node, trials, SpecialFunctions.Logistic(Finite(node, "logit", logit)), ref random);

    public static double Poisson(string node, double rate, ref RandomStream random) =>
        Sampling.Poisson.Sample(NonNegative(node, "rate", rate), ref random);

    public static double NegativeBinomial(string node, double mean, double inverseDispersion, ref RandomStream random) =>
        Sampling.NegativeBinomial.Sample(NonNegative(node, "mean", mean), Positive(node, "inverseDispersion", inverseDispersion), ref random);

    /// <summary>A structural zero with probability Logistic(zeroLogit), else a negative binomial draw (scVI Appendix B).</summary>
    public static double ZeroInflatedNegativeBinomial(string node, double mean, double inverseDispersion, double zeroLogit, ref RandomStream random) =>
        random.NextDouble() < SpecialFunctions.Logistic(Finite(node, "zeroLogit", zeroLogit)) ? 0 : NegativeBinomial(node, mean, inverseDispersion, ref random);

    public static double Flat(string node, bool asStart, ref RandomStream random) => asStart ? 4 * random.NextDouble() - 2 : throw Improper(node, "Flat");

    public static double HalfFlat(string node, bool asStart, ref RandomStream random) => asStart ? Math.Exp(4 * random.NextDouble() - 2) : throw Improper(node, "HalfFlat");

    public static double Uniform(string node, double lower, double upper, ref RandomStream random) =>
        upper > lower && double.IsFinite(upper - lower) ? lower + (upper - lower) * random.NextDouble() : throw Outside(node, "upper - lower", upper - lower);

    public static double HalfNormal(string node, double sd, ref RandomStream random) => Math.Abs(Normal(node, 0, sd, ref random));

    /// <summary>location + scale·tan(π(u - ½)), the inverse CDF.</summary>
    public static double Cauchy(string node, double location, double scale, ref RandomStream random) =>
        location + Positive(node, "scale", scale) * Math.Tan(Math.PI * (random.NextDouble() - 0.5));

    public static double HalfCauchy(string node, double scale, ref RandomStream random) => Math.Abs(Cauchy(node, 0, scale, ref random));

    /// <summary>location + scale·z/√(g/ν), z standard normal and g ~ χ²_ν = 2·Gamma(ν/2).</summary>
    public static double StudentT(string node, double degreesOfFreedom, double location, double scale, ref RandomStream random)
    {
        var nu = Positive(node, "degreesOfFreedom", degreesOfFreedom);
        var z = random.NextNormal();
        var chiSquare = 2 * Sampling.Gamma.Sample(nu / 2, ref random);
        return location + Positive(node, "scale", scale) * z / Math.Sqrt(chiSquare / nu);
    }

    public static double HalfStudentT(string node, double degreesOfFreedom, double scale, ref RandomStream random) =>
        Math.Abs(StudentT(node, degreesOfFreedom, 0, scale, ref random));

    public static double Exponential(string node, double rate, ref RandomStream random) => -Math.Log(random.NextDouble()) / Positive(node, "rate", rate);

    public static double InverseGamma(string node, double shape, double scale, ref RandomStream random) =>
        Positive(node, "scale", scale) / Sampling.Gamma.Sample(Positive(node, "shape", shape), ref random);

    /// <summary>An [Ordered] row: the declared prior's independent draws, sorted (the prior restricted to increasing vectors).</summary>
    public static void Ordered(Span<double> row) => row.Sort();

    /// <summary>A plate index (0-based) with probabilities proportional to <paramref name="p"/>.</summary>
    public static double Categorical(string node, Span<double> p, ref RandomStream random)
    {
        for (var k = 0; k < p.Length; k++) p[k] = Math.Log(NonNegative(node, "p", p[k]));
        return CategoricalLogit(node, p, ref random);
    }

    public static double CategoricalLogit(string node, ReadOnlySpan<double> logits, ref RandomStream random)
    {
        foreach (var l in logits)
            if (double.IsNaN(l) || double.IsPositiveInfinity(l)) throw Outside(node, "logit", l);
        return Sampling.Categorical.SampleRow(logits, ref random);
    }

    public static void Dirichlet(string node, ReadOnlySpan<double> concentration, Span<double> destination, ref RandomStream random)
    {
        foreach (var a in concentration) Positive(node, "concentration", a);
        Sampling.Dirichlet.SampleRow(concentration, destination, ref random);
    }

    /// <summary>Counts of <paramref name="total"/> trials over the entries of <paramref name="p"/>, normalised by its sum.</summary>
    public static void Multinomial(string node, int total, ReadOnlySpan<double> p, Span<double> destination, ref RandomStream random)
    {
        var sum = 0.0;
        foreach (var value in p) sum += NonNegative(node, "p", value);
        if (!(sum > 0)) throw Outside(node, "p", sum);
        Sampling.Multinomial.SampleRow(total, p, destination, ref random);
    }

    private static NotSupportedException Improper(string node, string distribution) =>
        new($"'{node}' has the improper prior Dist.{distribution}, which cannot be drawn from; hold it at a value (dsl simulate --set {node}=VALUE) or give it a proper prior");

    private static double Positive(string node, string argument, double value) => value > 0 && double.IsFinite(value) ? value : throw Outside(node, argument, value);

    private static double NonNegative(string node, string argument, double value) => value >= 0 && double.IsFinite(value) ? value : throw Outside(node, argument, value);

    private static double Probability(string node, string argument, double value) => value is >= 0 and <= 1 ? value : throw Outside(node, argument, value);

    private static double Finite(string node, string argument, double value) => double.IsFinite(value) ? value : throw Outside(node, argument, value);

    private static double Count(string node, string argument, double value) =>
        value >= 0 && value == Math.Floor(value) && value <= int.MaxValue ? value : throw Outside(node, argument, value);

    private static ArgumentException Outside(string node, string argument, double value) =>
        new($"simulating '{node}': its {argument} is {(double.IsNaN(value) ? "NaN (an undefined value, such as 0/0, in its expression at this draw)" : value)}, outside what the distribution allows; check the values given with --set or --data, and any drawn by default (a size factor or an exposure drawn from Normal(0, 1) can be negative)");
}
