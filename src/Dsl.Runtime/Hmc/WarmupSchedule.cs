namespace Dsl.Runtime.Hmc;

/// <summary>
/// Stan's windowed warm-up: a fast initial buffer (75 iterations) adapting the step size only, then windows of 25,
/// 50, 100, ... iterations at whose end the diagonal metric becomes the window's regularised draw variance, then a
/// terminal buffer (50) for the step size at the final metric. Short warm-ups shrink the buffers to 15 % and 10 %.
/// </summary>
internal sealed class WarmupSchedule
{
    private readonly int warmup, initBuffer, termBuffer;
    private int windowSize, windowEnd;

    public WarmupSchedule(int warmup)
    {
        this.warmup = warmup;
        (initBuffer, termBuffer, windowSize) = (75, 50, 25);
        if (warmup < 20) (initBuffer, termBuffer, windowSize) = (warmup, 0, 0);
        else if (initBuffer + termBuffer + windowSize > warmup)
        {
            initBuffer = (int)(0.15 * warmup);
            termBuffer = (int)(0.1 * warmup);
            windowSize = warmup - initBuffer - termBuffer;
        }
        windowEnd = initBuffer + windowSize;
        if (windowSize > 0) ExtendLastWindow();
    }

    /// <summary>Whether iteration <paramref name="iteration"/> (0-based) adds its draw to the metric's variance estimate.</summary>
    public bool InWindow(int iteration) => windowSize > 0 && iteration >= initBuffer && iteration < warmup - termBuffer;

    /// <summary>Whether the metric is updated after iteration <paramref name="iteration"/>; advances to the next window if so.</summary>
    public bool EndsWindow(int iteration)
    {
        if (!InWindow(iteration) || iteration + 1 != windowEnd) return false;
        windowSize *= 2;
        windowEnd = iteration + 1 + windowSize;
        ExtendLastWindow();
        return true;
    }

    /// <summary>A window that would leave too little for the next one runs to the terminal buffer instead.</summary>
    private void ExtendLastWindow()
    {
        var slowEnd = warmup - termBuffer;
        if (windowEnd + 2 * windowSize > slowEnd) windowEnd = slowEnd;
    }
}
