namespace Dsl.Runtime.Inference.MStep;

/// <summary>
/// The Monte Carlo expectation of a normalised-weight multinomial's log-likelihood over stored binary states (URSM
/// eq 3.9's Y term without the plug-in): sum_{r,e} y_re log w_re - (1/T) sum_t sum_r R_r log(sum_e w_re s_tre),
/// for rows r of <c>width</c> entries with weights w, T recorded states per row, and R_r the row's total count. It is
/// a function of the weights; the generated objective computes them from the parameter and carries the gradient
/// back through their derivatives (<see cref="ObjectiveTerms.ChainRule"/>).
/// <para>
/// An entry with a count is on in every state (its count could not have been observed otherwise), and many others
/// are on, or off, in every recorded state too. So a row's sum is the weights of its always-on entries plus a dot
/// product over the entries that changed. Those entries' states are copied out once, row by row, when the term is
/// built; each of the line search's many evaluations then reads only them.
/// </para>
/// </summary>
public sealed class NormalisedWeightsMonteCarlo
{
    /// <summary>Rows are split into this many chunks whatever the thread count, and the chunks' values are added in
    /// chunk order: the result is the same on any number of threads.</summary>
    private const int ChunkCount = 16;

    private readonly int samples;
    private readonly Row[] rows;
    private readonly int widestVarying;

    /// <summary>
    /// One row's entries (flat positions, row-major): those on in every state (with their counts, zero for the
    /// unobserved ones), those that changed, and the changed ones' states, sample by sample.
    /// </summary>
    private sealed record Row(int Total, int[] OnEntries, int[] OnCount, int[] VaryingEntries, byte[] VaryingStates);

    /// <param name="counts">per entry (rows x width), the observed count</param>
    /// <param name="states">T blocks of rows x width states (0 or 1), one per recorded sweep</param>
    /// <param name="samples">T</param>
    public NormalisedWeightsMonteCarlo(int[] counts, int width, byte[] states, int samples)
    {
        if (width <= 0 || counts.Length % width != 0) throw new ArgumentException("counts must hold whole rows of the width");
        if (samples <= 0 || states.Length < (long)samples * counts.Length) throw new ArgumentException($"states must hold {samples} samples of {counts.Length} entries", nameof(states));
        this.samples = samples;
        rows = new Row[counts.Length / width];
        var problems = new string?[rows.Length];
        Parallel.For(0, rows.Length, r => rows[r] = Classify(counts, width, states, r, out problems[r]));
        // Reported for the first row in order, whichever thread found it.
        if (problems.FirstOrDefault(p => p is not null) is { } problem) throw new ArgumentException(problem, nameof(states));
        widestVarying = rows.Length == 0 ? 0 : rows.Max(row => row.VaryingEntries.Length);
    }

    private Row Classify(int[] counts, int width, byte[] states, int r, out string? problem)
    {
        problem = null;
        var rowCount = counts.Length / width;
        var everOff = new bool[width];
        var everOn = new bool[width];
        for (var t = 0; t < samples; t++)
        {
            var state = states.AsSpan((t * rowCount + r) * width, width);
            for (var e = 0; e < width; e++)
            {
                everOn[e] |= state[e] != 0;
                everOff[e] |= state[e] == 0;
            }
        }
        var rowCounts = counts.AsSpan(r * width, width);
        var on = new List<int>();
        var varying = new List<int>();
        for (var e = 0; e < width; e++)
        {
            if (rowCounts[e] > 0 && everOff[e]) problem ??= $"row {r}, entry {e} has a count but is off in a recorded sweep";
            if (!everOff[e]) on.Add(e);
            else if (everOn[e]) varying.Add(e);
        }
        var varyingStates = new byte[samples * varying.Count];
        for (var t = 0; t < samples; t++)
        {
            var state = states.AsSpan((t * rowCount + r) * width, width);
            for (var n = 0; n < varying.Count; n++) varyingStates[t * varying.Count + n] = state[varying[n]];
        }
        var total = 0;
        foreach (var y in rowCounts) total += y;
        return new Row(total, [.. on.Select(e => r * width + e)], [.. on.Select(e => counts[r * width + e])],
            [.. varying.Select(e => r * width + e)], varyingStates);
    }

    /// <summary>
    /// The expectation at the entries' weights; its derivative in each entry's weight is added into
    /// <paramref name="adjoint"/> (one per entry) unless that is empty. Rows own disjoint entries, so the chunks
    /// write their adjoints in place.
    /// </summary>
    public double Evaluate(double[] weights, double[]? adjoint)
    {
        var chunks = Math.Min(rows.Length, ChunkCount);
        if (chunks == 0) return 0;
        var values = new double[chunks];
        Parallel.For(0, chunks, chunk =>
        {
            var varyingWeights = new double[widestVarying];
            var slopes = adjoint is null ? null : new double[widestVarying];
            for (var r = chunk * rows.Length / chunks; r < (chunk + 1) * rows.Length / chunks; r++)
                values[chunk] += RowValue(rows[r], weights, adjoint, varyingWeights, slopes);
        });
        var value = 0.0;
        for (var chunk = 0; chunk < chunks; chunk++) value += values[chunk];
        return value;
    }

    /// <summary>One row's value, its derivatives added into <paramref name="adjoint"/>; the last two are scratch.</summary>
    private double RowValue(Row row, double[] weights, double[]? adjoint, double[] weightScratch, double[]? slopeScratch)
    {
        var value = 0.0;
        var alwaysOn = 0.0;
        for (var o = 0; o < row.OnEntries.Length; o++)
        {
            var weight = weights[row.OnEntries[o]];
            alwaysOn += weight;
            if (row.OnCount[o] == 0) continue;
            value += row.OnCount[o] * Math.Log(weight);
            if (adjoint != null) adjoint[row.OnEntries[o]] += row.OnCount[o] / weight;
        }
        if (row.Total == 0) return value;
        var varying = row.VaryingEntries.Length;
        var varyingWeights = weightScratch.AsSpan(0, varying);
        for (var n = 0; n < varying; n++) varyingWeights[n] = weights[row.VaryingEntries[n]];
        var slopes = slopeScratch.AsSpan(0, slopeScratch is null ? 0 : varying);
        slopes.Clear();
        var perSample = (double)row.Total / samples;
        var alwaysOnSlope = 0.0;
        for (var t = 0; t < samples; t++)
        {
            var state = row.VaryingStates.AsSpan(t * varying, varying);
            var sum = alwaysOn + ByteStates.Dot(varyingWeights, state);
            value -= perSample * Math.Log(sum);
            if (adjoint == null) continue;
            alwaysOnSlope += perSample / sum;
            ByteStates.AddScaled(slopes, perSample / sum, state);
        }
        if (adjoint == null) return value;
        foreach (var entry in row.OnEntries) adjoint[entry] -= alwaysOnSlope;
        for (var n = 0; n < varying; n++) adjoint[row.VaryingEntries[n]] -= slopes[n];
        return value;
    }
}
