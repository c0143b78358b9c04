using Dsl.Runtime.Inference.MStep;
using Xunit;

namespace Dsl.Runtime.Tests.Inference;

/// <summary>Every M-step term's analytic gradient against central finite differences.</summary>
public sealed class ObjectiveGradientTests
{
    private delegate double Term(ReadOnlySpan<double> x, Span<double> gradient);

    private static readonly double[] point = [0.2, 0.05, 0.3, 0.15, 0.1, 0.2];

    private static void Check(Term term)
    {
        var gradient = new double[point.Length];
        term(point, gradient);
        for (var n = 0; n < point.Length; n++)
        {
            // h = 1e-6 on entries ~0.1: central differences are accurate to ~h^2 * f''' ~ 1e-9 relative; allow 1e-6.
            const double h = 1e-6;
            var plus = (double[])point.Clone();
            var minus = (double[])point.Clone();
            plus[n] += h;
            minus[n] -= h;
            var numeric = (term(plus, new double[point.Length]) - term(minus, new double[point.Length])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[n]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"entry {n}: analytic {gradient[n]}, numeric {numeric}");
        }
    }

    [Fact]
    public void WeightedLog() => Check((x, g) => ThroughSquares(x, g, [0, 1, 2, 3, 4, 5, 2], (a, adjoint) => ObjectiveTerms.WeightedLog(a, [3, 0, 1.5, 7, 2, 0.5, 1], adjoint)));

    [Fact]
    public void DirichletLogDensity() => Check((x, g) =>
    {
        // Concentrations x_0, 2·x_2 and exp(x_5): slopes 1, 2 and exp(x_5).
        int[] map = [0, 2, 5];
        double[] concentration = [x[0], 2 * x[2], Math.Exp(x[5])];
        double[] slope = [1, 2, Math.Exp(x[5])];
        return ObjectiveTerms.DirichletLogDensity(concentration, slope, map, 3, 40, [-30, -55, -20], g);
    });

    /// <summary>
    /// Concentrations that differ between two replicates, a_rk = w_k·exp(x_5·age_r) (a covariate of each replicate
    /// scaling a shared effect): a group per replicate, every concentration read through the one entry x_5.
    /// </summary>
    [Fact]
    public void DirichletLogDensity_PerReplicate() => Check((x, g) =>
    {
        double[] w = [0.8, 2.5, 1.2], age = [0.5, -1.0];
        var concentration = new double[6];
        var slope = new double[6];
        for (var r = 0; r < 2; r++)
            for (var k = 0; k < 3; k++)
            {
                concentration[r * 3 + k] = w[k] * Math.Exp(x[5] * age[r]);
                slope[r * 3 + k] = age[r] * concentration[r * 3 + k];
            }
        return ObjectiveTerms.DirichletLogDensity(concentration, slope, [5, 5, 5, 5, 5, 5], 3, 1, [-3, -5.5, -2, -4, -1, -6], g);
    });

    [Fact]
    public void Quadratic() => Check((x, g) => ThroughSquares(x, g, [0, 1, 1, 4, 5, 2],
        (a, adjoint) => ObjectiveTerms.Quadratic(a, [3, -1, 2, 0.5, 1, 4], [10, 20, 5, 8, 1, 2], 0.25, adjoint)));

    private static readonly int[] map = [0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0];
    private static readonly int[] counts = [3, 0, 1, 0, 0, 2, 0, 4, 0, 0, 1, 1];
    private static readonly byte[] states = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, /* sample 2 */ 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1];

    /// <summary>
    /// A term of inner values v_n = x[entries[n]]² (slope 2 x[entries[n]]), its gradient carried to x by the chain
    /// rule, as a generated objective does with a weight or logit term that is an expression of its parameter.
    /// </summary>
    private static double ThroughSquares(ReadOnlySpan<double> x, Span<double> gradient, int[] entries, Func<double[], double[]?, double> term)
    {
        var values = new double[entries.Length];
        var slopes = new double[entries.Length];
        for (var n = 0; n < entries.Length; n++) (values[n], slopes[n]) = (x[entries[n]] * x[entries[n]], 2 * x[entries[n]]);
        var adjoint = gradient.IsEmpty ? null : new double[entries.Length];
        var value = term(values, adjoint);
        if (adjoint is not null) ObjectiveTerms.ChainRule(adjoint, slopes, entries, gradient);
        return value;
    }

    [Fact]
    public void NormalisedWeights_MonteCarlo() =>
        Check((x, g) => ThroughSquares(x, g, map, (w, adjoint) => new NormalisedWeightsMonteCarlo(counts, 6, states, 2).Evaluate(w, adjoint)));

    [Fact]
    public void NormalisedWeights_MonteCarlo_IsTheAverageOverTheStoredStates()
    {
        // The term skips entries with counts inside its sums (they are on in every state); its value must still be
        // the plain formula over every entry.
        const int width = 6, rows = 2, samples = 2;
        var expected = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var total = 0;
            for (var e = 0; e < width; e++)
            {
                var y = counts[r * width + e];
                total += y;
                if (y > 0) expected += y * Math.Log(point[map[r * width + e]]);
            }
            for (var t = 0; t < samples; t++)
            {
                var sum = 0.0;
                for (var e = 0; e < width; e++) sum += point[map[r * width + e]] * states[(t * rows + r) * width + e];
                expected -= (double)total / samples * Math.Log(sum);
            }
        }
        Assert.Equal(expected, new NormalisedWeightsMonteCarlo(counts, width, states, samples).Evaluate(map.Select(m => point[m]).ToArray(), null), 12);
    }

    [Fact]
    public void NormalisedWeights_MonteCarlo_RefusesAStateWithAnObservedEntryOff()
    {
        var broken = (byte[])states.Clone();
        broken[0] = 0; // row 0, entry 0 has count 3
        var error = Assert.Throws<ArgumentException>(() => new NormalisedWeightsMonteCarlo(counts, 6, broken, 2));
        Assert.Contains("row 0, entry 0", error.Message);
    }

    [Fact]
    public void NormalisedWeights_PlugIn() =>
        Check((x, g) => ThroughSquares(x, g, map, (w, adjoint) =>
            ObjectiveTerms.NormalisedWeightsPlugIn(w, counts, 6, [1, 0.2, 1, 0.5, 0.1, 1, 0.7, 1, 0.3, 0.4, 1, 1], adjoint)));
}
