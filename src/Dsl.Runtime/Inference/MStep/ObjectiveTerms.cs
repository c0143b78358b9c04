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
    /// <summary>sum_n w_n log x_n (allocation counts of a mixture profile: E[z_ik] log A_ik).</summary>
    public static double WeightedLog(ReadOnlySpan<double> x, ReadOnlySpan<double> weights, Span<double> gradient)
    {
        var value = 0.0;
        for (var n = 0; n < x.Length; n++)
        {
            if (weights[n] == 0) continue;
            value += weights[n] * Math.Log(x[n]);
            if (!gradient.IsEmpty) gradient[n] += weights[n] / x[n];
        }
        return value;
    }

    /// <summary>
    /// The log-density of <paramref name="replicates"/> Dirichlet vectors with concentration x[map[k]], given
    /// sumLog[k] = sum_r E[log w_kr]: R (log Gamma(sum a) - sum log Gamma(a_k)) + sum_k (a_k - 1) sumLog_k.
    /// </summary>
    public static double DirichletLogDensity(ReadOnlySpan<double> x, ReadOnlySpan<int> map, int replicates, ReadOnlySpan<double> sumLog, Span<double> gradient)
    {
        if (replicates == 0) return 0;
        var total = 0.0;
        foreach (var index in map) total += x[index];
        var value = replicates * SpecialFunctions.LogGamma(total);
        var digammaTotal = gradient.IsEmpty ? 0 : SpecialFunctions.Digamma(total);
        for (var k = 0; k < map.Length; k++)
        {
            var a = x[map[k]];
            value += -replicates * SpecialFunctions.LogGamma(a) + (a - 1) * sumLog[k];
            if (!gradient.IsEmpty) gradient[map[k]] += replicates * (digammaTotal - SpecialFunctions.Digamma(a)) + sumLog[k];
        }
        return value;
    }

    /// <summary>
    /// sum_n (linear_n x[map[n]] - quadratic_n x[map[n]]^2 / 2) * scale: the Polya-Gamma-augmented logistic
    /// log-likelihood E[(y - 1/2) psi - omega psi^2 / 2] as a function of a parameter that psi is affine in.
    /// </summary>
    public static double Quadratic(ReadOnlySpan<double> x, ReadOnlySpan<int> map, ReadOnlySpan<double> linear, ReadOnlySpan<double> quadratic, double scale, Span<double> gradient)
    {
        var value = 0.0;
        for (var n = 0; n < map.Length; n++)
        {
            var a = x[map[n]];
            value += (linear[n] - 0.5 * quadratic[n] * a) * a;
            if (!gradient.IsEmpty) gradient[map[n]] += (linear[n] - quadratic[n] * a) * scale;
        }
        return value * scale;
    }

    /// <summary>
    /// The Monte Carlo expectation of a normalised-weight multinomial's log-likelihood over stored binary states:
    /// sum_{r,e} y_re log x[map_re] - (1/T) sum_t sum_r R_r log(sum_e x[map_re] s_tre). Rows are replicates r, each
    /// <paramref name="width"/> entries; <paramref name="states"/> holds T blocks of rows x width.
    /// </summary>
    public static double NormalisedWeights(
        ReadOnlySpan<double> x, int[] map, int[] counts, int width, byte[] states, int samples, Span<double> gradient)
    {
        var rows = counts.Length / width;
        // Rows are split into a fixed number of chunks whatever the thread count, and the chunks' values and
        // gradients are added in chunk order: the result is the same on any number of threads.
        var chunks = Math.Min(rows, ChunkCount);
        if (chunks == 0) return 0;
        var xs = x.ToArray();
        var values = new double[chunks];
        var gradients = new double[chunks][];
        var withGradient = !gradient.IsEmpty;
        Parallel.For(0, chunks, chunk =>
        {
            var partial = withGradient ? gradients[chunk] = new double[xs.Length] : null;
            var weights = new double[width];
            var slopes = new double[width];
            for (var r = chunk * rows / chunks; r < (chunk + 1) * rows / chunks; r++)
                values[chunk] += NormalisedWeightsRow(xs, map.AsSpan(r * width, width), counts.AsSpan(r * width, width), states, r, rows, samples, weights, slopes, partial);
        });
        var value = 0.0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            value += values[chunk];
            if (withGradient) for (var n = 0; n < gradient.Length; n++) gradient[n] += gradients[chunk][n];
        }
        return value;
    }

    private const int ChunkCount = 16;

    private static double NormalisedWeightsRow(
        double[] x, ReadOnlySpan<int> rowMap, ReadOnlySpan<int> rowCounts, byte[] states, int r, int rows, int samples,
        double[] weights, double[] slopes, double[]? gradient)
    {
        var width = rowMap.Length;
        var value = 0.0;
        var total = 0;
        for (var e = 0; e < width; e++)
        {
            weights[e] = x[rowMap[e]];
            var y = rowCounts[e];
            total += y;
            if (y == 0) continue;
            value += y * Math.Log(weights[e]);
            if (gradient != null) gradient[rowMap[e]] += y / weights[e];
        }
        if (total == 0) return value;
        var perSample = (double)total / samples;
        Array.Clear(slopes, 0, width);
        for (var t = 0; t < samples; t++)
        {
            var state = states.AsSpan((t * rows + r) * width, width);
            var sum = ByteStates.Dot(weights, state);
            value -= perSample * Math.Log(sum);
            if (gradient != null) ByteStates.AddScaled(slopes, perSample / sum, state);
        }
        if (gradient != null) for (var e = 0; e < width; e++) gradient[rowMap[e]] -= slopes[e];
        return value;
    }

    /// <summary>The plug-in version of <see cref="NormalisedWeights"/> (URSM eq 3.9): log sum_e x s is replaced by log sum_e x E[s].</summary>
    public static double NormalisedWeightsPlugIn(
        ReadOnlySpan<double> x, ReadOnlySpan<int> map, ReadOnlySpan<int> counts, int width, ReadOnlySpan<double> meanStates,
        Span<double> gradient)
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
                sum += x[map[n]] * meanStates[n];
                if (y == 0) continue;
                value += y * Math.Log(x[map[n]]);
                if (!gradient.IsEmpty) gradient[map[n]] += y / x[map[n]];
            }
            if (total == 0) continue;
            value -= total * Math.Log(sum);
            if (!gradient.IsEmpty) for (var e = 0; e < width; e++) gradient[map[r * width + e]] -= total * meanStates[r * width + e] / sum;
        }
        return value;
    }
}
