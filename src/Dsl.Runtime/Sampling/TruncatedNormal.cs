using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// A unit-variance Normal truncated to one side of zero: the latent utility of a probit observation (Albert and Chib
/// 1993), u ~ Normal(η, 1) restricted to u &gt; 0 where y = 1 and u ≤ 0 where y = 0 (a Binomial's y successes of n are
/// n such utilities). Each side is the standard Normal
/// truncated below a bound a (a = −η for y = 1; for y = 0, −u is drawn with a = η). Near the body (a &lt; 0.45) plain
/// draws are kept when above a (accepted with probability Φ(−a) &gt; 0.33); further out, Robert's (1995) exponential
/// proposal with rate λ = (a + √(a² + 4)) / 2, the rate that maximises its acceptance (above 0.76 for every a ≥ 0.45).
/// Both are exact rejection samplers.
/// </summary>
public static class TruncatedNormal
{
    /// <summary>The bound below which plain Normal draws are used: there both samplers accept about 0.33 or more.</summary>
    private const double TailStart = 0.45;

    /// <summary>u ~ Normal(mean, 1) truncated to u &gt; 0 (<paramref name="positive"/>) or u ≤ 0.</summary>
    public static double Utility(double mean, bool positive, ref RandomStream random) =>
        positive ? mean + AboveBound(-mean, ref random) : mean - AboveBound(mean, ref random);

    /// <summary>
    /// The mean of a Binomial probit entry's n utilities, one per trial: <paramref name="successes"/> of them above zero
    /// and the rest at or below it, each Normal(mean, 1) on its side. Given them, the entry is a Normal observation of
    /// the mean with precision n (n unit-precision observations whose average is sufficient).
    /// </summary>
    public static double MeanUtility(double mean, int trials, int successes, ref RandomStream random)
    {
        if (trials <= 0 || successes < 0 || successes > trials)
            throw new ArgumentException($"a Binomial probit entry needs 0 <= successes <= trials and trials > 0, not {successes} of {trials}");
        var sum = 0.0;
        for (var j = 0; j < trials; j++) sum += Utility(mean, j < successes, ref random);
        return sum / trials;
    }

    /// <summary>x ~ Normal(0, 1) truncated to x &gt; a.</summary>
    public static double AboveBound(double a, ref RandomStream random)
    {
        if (double.IsNaN(a)) throw new ArgumentException("the truncation bound is NaN");
        if (a < TailStart)
        {
            while (true)
            {
                var x = random.NextNormal();
                if (x > a) return x;
            }
        }
        var rate = (a + Math.Sqrt(a * a + 4)) / 2;
        while (true)
        {
            var x = a + random.NextExponential() / rate;
            // Accept with probability exp(−(x − λ)² / 2).
            if (random.NextExponential() > (x - rate) * (x - rate) / 2) return x;
        }
    }
}
