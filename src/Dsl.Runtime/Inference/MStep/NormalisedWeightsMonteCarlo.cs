namespace Dsl.Runtime.Inference.MStep;

/// <summary>
/// The Monte Carlo expectation of a normalised-weight multinomial's log-likelihood over stored binary states (URSM
/// eq 3.9's Y term without the plug-in): sum_{r,e} y_re log x[map_re] - (1/T) sum_t sum_r R_r log(sum_e x[map_re] s_tre),
/// for rows r of <c>width</c> entries, T recorded states per row, and R_r the row's total count.
/// <para>
/// An entry with a count is on in every state (its count could not have been observed otherwise), so a row's sum is
/// its observed entries' weights plus a dot product over the unobserved ones alone. Those entries' states are copied
/// out once, row by row, when the term is built; each of the line search's many evaluations then reads only them.
/// </para>
/// </summary>
public sealed class NormalisedWeightsMonteCarlo
{
    /// <summary>Rows are split into this many chunks whatever the thread count, and the chunks' values and gradients
    /// are added in chunk order: the result is the same on any number of threads.</summary>
    private const int ChunkCount = 16;

    private readonly int rows;
    private readonly int samples;
    private readonly int[] observedStart; // row r's observed entries: [observedStart[r], observedStart[r + 1])
    private readonly int[] observedMap;
    private readonly int[] observedCount;
    private readonly int[] freeStart;     // row r's unobserved entries: [freeStart[r], freeStart[r + 1])
    private readonly int[] freeMap;
    private readonly byte[] freeStates;   // row r's states: samples blocks of its unobserved entries, from samples * freeStart[r]
    private readonly int[] totals;
    private readonly int widestFree;

    /// <param name="map">per entry (rows x width), the flat index of the parameter it reads</param>
    /// <param name="counts">per entry, the observed count</param>
    /// <param name="states">T blocks of rows x width states (0 or 1), one per recorded sweep</param>
    /// <param name="samples">T</param>
    public NormalisedWeightsMonteCarlo(int[] map, int[] counts, int width, byte[] states, int samples)
    {
        if (width <= 0 || counts.Length % width != 0 || map.Length != counts.Length) throw new ArgumentException("map and counts must hold whole rows of the width");
        if (samples <= 0 || states.Length < (long)samples * counts.Length) throw new ArgumentException($"states must hold {samples} samples of {counts.Length} entries", nameof(states));
        rows = counts.Length / width;
        this.samples = samples;
        observedStart = new int[rows + 1];
        freeStart = new int[rows + 1];
        totals = new int[rows];
        var observed = counts.Count(c => c > 0);
        observedMap = new int[observed];
        observedCount = new int[observed];
        freeMap = new int[counts.Length - observed];
        freeStates = new byte[(long)samples * freeMap.Length];
        int o = 0, f = 0;
        for (var r = 0; r < rows; r++)
        {
            observedStart[r] = o;
            freeStart[r] = f;
            for (var e = r * width; e < (r + 1) * width; e++)
            {
                totals[r] += counts[e];
                if (counts[e] > 0)
                {
                    observedMap[o] = map[e];
                    observedCount[o++] = counts[e];
                }
                else freeMap[f++] = map[e];
            }
            CopyFreeStates(counts, width, states, r, f - freeStart[r]);
        }
        observedStart[rows] = o;
        freeStart[rows] = f;
        for (var r = 0; r < rows; r++) widestFree = Math.Max(widestFree, freeStart[r + 1] - freeStart[r]);
    }

    private void CopyFreeStates(int[] counts, int width, byte[] states, int r, int free)
    {
        var destination = (long)samples * freeStart[r];
        for (var t = 0; t < samples; t++)
        {
            var state = states.AsSpan((t * rows + r) * width, width);
            var row = counts.AsSpan(r * width, width);
            for (var e = 0; e < width; e++)
            {
                if (row[e] == 0) freeStates[destination++] = state[e];
                else if (state[e] != 1) throw new ArgumentException($"row {r}, entry {e} has a count but is off in recorded sweep {t}", nameof(states));
            }
        }
    }

    /// <summary>The expectation at x; its gradient is added into <paramref name="gradient"/> unless that is empty.</summary>
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var chunks = Math.Min(rows, ChunkCount);
        if (chunks == 0) return 0;
        var xs = x.ToArray();
        var values = new double[chunks];
        var gradients = new double[chunks][];
        var withGradient = !gradient.IsEmpty;
        Parallel.For(0, chunks, chunk =>
        {
            var partial = withGradient ? gradients[chunk] = new double[xs.Length] : null;
            var weights = new double[widestFree];
            var slopes = withGradient ? new double[widestFree] : null;
            for (var r = chunk * rows / chunks; r < (chunk + 1) * rows / chunks; r++) values[chunk] += Row(xs, r, partial, weights, slopes);
        });
        var value = 0.0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            value += values[chunk];
            if (withGradient) for (var n = 0; n < gradient.Length; n++) gradient[n] += gradients[chunk][n];
        }
        return value;
    }

    /// <summary>Row r's value, its gradient added into <paramref name="gradient"/>; the last two are scratch.</summary>
    private double Row(double[] x, int r, double[]? gradient, double[] weightScratch, double[]? slopeScratch)
    {
        var value = 0.0;
        var alwaysOn = 0.0;
        for (var o = observedStart[r]; o < observedStart[r + 1]; o++)
        {
            var weight = x[observedMap[o]];
            alwaysOn += weight;
            value += observedCount[o] * Math.Log(weight);
            if (gradient != null) gradient[observedMap[o]] += observedCount[o] / weight;
        }
        if (totals[r] == 0) return value;
        var free = freeStart[r + 1] - freeStart[r];
        var weights = weightScratch.AsSpan(0, free);
        for (var n = 0; n < free; n++) weights[n] = x[freeMap[freeStart[r] + n]];
        var slopes = slopeScratch.AsSpan(0, slopeScratch is null ? 0 : free);
        slopes.Clear();
        var perSample = (double)totals[r] / samples;
        var observedSlope = 0.0;
        for (var t = 0; t < samples; t++)
        {
            var state = freeStates.AsSpan((int)((long)samples * freeStart[r] + (long)t * free), free);
            var sum = alwaysOn + ByteStates.Dot(weights, state);
            value -= perSample * Math.Log(sum);
            if (gradient == null) continue;
            observedSlope += perSample / sum;
            ByteStates.AddScaled(slopes, perSample / sum, state);
        }
        if (gradient == null) return value;
        for (var o = observedStart[r]; o < observedStart[r + 1]; o++) gradient[observedMap[o]] -= observedSlope;
        for (var n = 0; n < free; n++) gradient[freeMap[freeStart[r] + n]] -= slopes[n];
        return value;
    }
}
