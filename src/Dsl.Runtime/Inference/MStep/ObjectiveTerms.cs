using Dsl.Runtime.Special;

namespace Dsl.Runtime.Inference.MStep;

/// <summary>
/// The terms of the expected complete log-likelihood that the M-step rules produce, each with its gradient (URSM
/// eq 3.9 is their sum for A). Every function adds its gradient into <c>gradient</c> and returns its value; an empty
/// <c>gradient</c> asks for the value alone (a line search's trial points), which skips the gradient's passes.
/// <c>map</c> arrays give, per statistic, the flat index of the parameter entry it multiplies.
/// </summary>
public static class ObjectiveTerms
{
    /// <summary>
    /// sum_n w_n log g_n (allocation counts of a mixture profile: E[z_ik] log A_ik, g the profile's values). Each
    /// value's derivative w_n / g_n is written to <paramref name="adjoint"/> unless that is empty.
    /// </summary>
    public static double WeightedLog(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, Span<double> adjoint)
    {
        var value = 0.0;
        for (var n = 0; n < values.Length; n++)
        {
            if (!adjoint.IsEmpty) adjoint[n] = 0;
            if (weights[n] == 0) continue;
            value += weights[n] * Math.Log(values[n]);
            if (!adjoint.IsEmpty) adjoint[n] = weights[n] / values[n];
        }
        return value;
    }

    /// <summary>
    /// Dirichlet log-densities, in groups of <paramref name="components"/> entries: one group for every replicate where
    /// the concentrations differ between replicates (<paramref name="weight"/> 1), or one group standing for
    /// <paramref name="weight"/> replicates that share them. With sumLog_k the group's sum over its replicates of
    /// E[log w_k], a group adds weight (log Gamma(sum a) - sum log Gamma(a_k)) + sum_k (a_k - 1) sumLog_k. Each a_k
    /// is a function of the parameter's entry map[k] with derivative slope[k] there (1 where a_k is the entry itself),
    /// through which the gradient flows.
    /// </summary>
    public static double DirichletLogDensity(ReadOnlySpan<double> concentration, ReadOnlySpan<double> slope, ReadOnlySpan<int> map, int components, int weight,
        ReadOnlySpan<double> sumLog, Span<double> gradient)
    {
        if (weight == 0) return 0;
        var value = 0.0;
        for (var start = 0; start < concentration.Length; start += components)
        {
            var total = 0.0;
            for (var k = start; k < start + components; k++) total += concentration[k];
            value += weight * SpecialFunctions.LogGamma(total);
            var digammaTotal = gradient.IsEmpty ? 0 : SpecialFunctions.Digamma(total);
            for (var k = start; k < start + components; k++)
            {
                var a = concentration[k];
                value += -weight * SpecialFunctions.LogGamma(a) + (a - 1) * sumLog[k];
                if (!gradient.IsEmpty) gradient[map[k]] += (weight * (digammaTotal - SpecialFunctions.Digamma(a)) + sumLog[k]) * slope[k];
            }
        }
        return value;
    }

    /// <summary>
    /// sum_n (linear_n a_n - quadratic_n a_n^2 / 2) * scale: the Polya-Gamma-augmented logistic log-likelihood
    /// E[(y - 1/2) psi - omega psi^2 / 2] as a function of the values a that psi is affine in (a parameter's entry, or
    /// an expression of one). Each value's derivative is written to <paramref name="adjoint"/> unless that is empty.
    /// </summary>
    public static double Quadratic(ReadOnlySpan<double> values, ReadOnlySpan<double> linear, ReadOnlySpan<double> quadratic, double scale, Span<double> adjoint)
    {
        var value = 0.0;
        for (var n = 0; n < values.Length; n++)
        {
            var a = values[n];
            value += (linear[n] - 0.5 * quadratic[n] * a) * a;
            if (!adjoint.IsEmpty) adjoint[n] = (linear[n] - quadratic[n] * a) * scale;
        }
        return value * scale;
    }

    /// <summary>
    /// The plug-in version of <see cref="NormalisedWeightsMonteCarlo"/> (URSM eq 3.9): log sum_e w s is replaced by
    /// log sum_e w E[s]. A function of the entries' weights w; the derivative in each is added into
    /// <paramref name="adjoint"/> unless that is empty.
    /// </summary>
    public static double NormalisedWeightsPlugIn(
        ReadOnlySpan<double> weights, ReadOnlySpan<int> counts, int width, ReadOnlySpan<double> meanStates, Span<double> adjoint)
    {
        var rows = counts.Length / width;
        var value = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var total = 0;
            var sum = 0.0;
            for (var e = 0; e < width; e++)
            {
                var n = r * width + e;
                var y = counts[n];
                total += y;
                sum += weights[n] * meanStates[n];
                if (y == 0) continue;
                value += y * Math.Log(weights[n]);
                if (!adjoint.IsEmpty) adjoint[n] += y / weights[n];
            }
            if (total == 0) continue;
            value -= total * Math.Log(sum);
            if (!adjoint.IsEmpty) for (var e = 0; e < width; e++) adjoint[r * width + e] -= total * meanStates[r * width + e] / sum;
        }
        return value;
    }

    /// <summary>
    /// The chain rule from a term's inner values v_n (a multinomial's weights, the values a logit is affine in) to the parameter they are
    /// functions of: v_n reads entry map[n] with derivative slopes[n] there, so gradient[map[n]] += adjoint[n] · slopes[n].
    /// </summary>
    public static void ChainRule(ReadOnlySpan<double> adjoint, ReadOnlySpan<double> slopes, ReadOnlySpan<int> map, Span<double> gradient)
    {
        for (var n = 0; n < map.Length; n++) gradient[map[n]] += adjoint[n] * slopes[n];
    }
}
