namespace Dsl.Runtime.Inference.MStep;

/// <summary>Euclidean projections onto the feasible sets of constrained parameters (URSM eq 3.8).</summary>
public static class Projection
{
    /// <summary>
    /// Projects <paramref name="values"/> onto { x : x_i &gt;= floor, sum_i x_i = 1 }. Shifting by the floor turns this
    /// into the projection onto a scaled simplex, done by sorting (Duchi et al. 2008): O(n log n).
    /// </summary>
    public static void OntoSimplex(Span<double> values, double floor, Span<double> scratch)
    {
        var n = values.Length;
        var radius = 1.0 - n * floor;
        if (radius < 0) throw new ArgumentException($"a floor of {floor} leaves no room on a simplex of {n} entries", nameof(floor));
        var sorted = scratch[..n];
        for (var i = 0; i < n; i++) sorted[i] = values[i] - floor;
        sorted.Sort();
        var cumulative = 0.0;
        var threshold = 0.0;
        for (var r = n - 1; r >= 0; r--)
        {
            cumulative += sorted[r];
            var candidate = (cumulative - radius) / (n - r);
            if (r == 0 || sorted[r - 1] <= candidate)
            {
                threshold = candidate;
                break;
            }
        }
        for (var i = 0; i < n; i++) values[i] = floor + Math.Max(values[i] - floor - threshold, 0);
    }

    /// <summary>The simplex projection of the strided slice x[start], x[start + stride], ... (count entries).</summary>
    public static void OntoSimplex(Span<double> x, int start, int stride, int count, double floor, Span<double> scratch)
    {
        var slice = scratch[..count];
        for (var n = 0; n < count; n++) slice[n] = x[start + n * stride];
        OntoSimplex(slice, floor, scratch.Slice(count, count));
        for (var n = 0; n < count; n++) x[start + n * stride] = slice[n];
    }

    /// <summary>
    /// The ascent direction d_n = x_n (g_n - lambda) on the strided simplex slice, with lambda = sum x g / sum x so that
    /// sum d = 0: the gradient in the metric diag(x), restricted to the simplex's tangent space. It is an ascent
    /// direction (g . d = sum x (g - lambda)^2 &gt;= 0), unlike x * g followed by a Euclidean projection.
    /// </summary>
    public static void SimplexDirection(ReadOnlySpan<double> x, Span<double> direction, int start, int stride, int count)
    {
        double weighted = 0, mass = 0;
        for (var n = 0; n < count; n++)
        {
            var at = start + n * stride;
            weighted += x[at] * direction[at];
            mass += x[at];
        }
        var lambda = weighted / mass;
        for (var n = 0; n < count; n++)
        {
            var at = start + n * stride;
            direction[at] = x[at] * (direction[at] - lambda);
        }
    }

    /// <summary>Projects onto { x : x_i &gt;= floor }.</summary>
    public static void OntoFloor(Span<double> values, double floor)
    {
        for (var i = 0; i < values.Length; i++) values[i] = Math.Max(values[i], floor);
    }
}
