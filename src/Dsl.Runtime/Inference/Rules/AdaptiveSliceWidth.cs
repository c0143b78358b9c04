namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// A slice sampler's width, tuned during warm-up as JAGS tunes its slice samplers: after each warm-up step the width
/// becomes twice the weighted mean of the distances moved so far, the n-th move weighted n, so the long early moves
/// from an overdispersed start fade while the chain settles. For a Normal conditional of sd σ the independent moves
/// average 2σ/√π, so the width settles near 2.3σ, where stepping out takes a step or two and shrinking a few trials
/// (Neal 2003, §4.2). The width is frozen after warm-up, so the kept draws come from one fixed, p-invariant kernel;
/// any width is exact, and this one only sets the cost per independent draw.
/// </summary>
public struct AdaptiveSliceWidth(double initial)
{
    /// <summary>Steps observed before the first change: fewer would let a single move set the width.</summary>
    public const int StepsBeforeAdapting = 10;

    private long steps;
    private double weightedDistance;

    /// <summary>The width for the next step.</summary>
    public double Width { get; private set; } = initial;

    /// <summary>Records one warm-up step from <paramref name="before"/> to <paramref name="after"/> (unconstrained scale).</summary>
    public void Observe(double before, double after)
    {
        steps++;
        weightedDistance += steps * Math.Abs(after - before);
        if (steps < StepsBeforeAdapting) return;
        // sum_n n |d_n| / sum_n n, doubled; a chain that has not moved at all keeps its width rather than collapse to zero.
        var width = 4 * weightedDistance / (steps * (double)(steps + 1));
        if (width > 0 && double.IsFinite(width)) Width = width;
    }
}
